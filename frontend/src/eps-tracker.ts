// The widget's entry: one ES module that defines <eps-tracker>.
import './components/eps-tracker/eps-tracker.js';
