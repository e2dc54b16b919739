// The full-page app's entry: the page's own styles, and the widget.
import './app.scss';
import './eps-tracker.js';
