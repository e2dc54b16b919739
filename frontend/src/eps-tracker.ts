// The widget's entry: one ES module that defines <eps-tracker>.
import { EpsTracker } from './components/eps-tracker/eps-tracker.js';

if (!customElements.get('eps-tracker')) customElements.define('eps-tracker', EpsTracker);
