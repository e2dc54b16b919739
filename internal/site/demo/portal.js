// The demo portal's sign-in, as a clinical portal's own script does it:
// before each lookup the widget asks the page for a token (getToken), and
// the page gives it one from its identity provider, here the server's demo
// sign-in, keeping it until shortly before it expires. This script runs
// before the widget's (module scripts run in order), so the widget has
// getToken before its first lookup.
const widget = document.querySelector('eps-tracker');
let held = null; // {token, expiresAt}, the token from the last sign-in

widget.getToken = async () => {
  if (!held || Date.parse(held.expiresAt) - Date.now() < 30_000) {
    const answer = await fetch('/demo/token', { cache: 'no-store', credentials: 'same-origin' });
    if (!answer.ok) throw new Error(`the portal's sign-in answered HTTP ${answer.status}`);
    held = await answer.json();
  }
  return held.token;
};
