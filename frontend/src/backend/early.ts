// Starts the core loading as the widget's script starts, before the
// interface is defined, when the page already holds an <eps-tracker>: its
// download and compilation then overlap the rest of the script's start.
// (A page that adds the element later loads the core when it is added.)
import { backend } from './start.js';

if (document.querySelector('eps-tracker')) backend();
