// Moved to src/messages, which the e-mails' layout and the pages share; kept here until the pages import it from there.
export { escapeHtml } from '../messages/escape-html.js';
