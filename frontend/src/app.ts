import './eps-tracker.js';
