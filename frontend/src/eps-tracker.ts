// The widget's entry: one ES module that defines <eps-tracker>, the core
// loading first on a page that holds one already.
import './backend/early.js';
import './components/eps-tracker/eps-tracker.js';
