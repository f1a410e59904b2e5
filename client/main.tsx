import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { I18nProvider } from './i18n';
import { documentViewOf } from './router';
import { prefetchDocument } from './screens/documentPreload';
import { loadDocumentScreen } from './screens/documentScreenCode';
import { SessionProvider, firstSession } from './session/SessionProvider';
import './styles.css';

// Opened on a document's text: its screen's code and, once the session is known to be signed in, its
// outline and content load alongside the session instead of one after the other.
const opening = documentViewOf(window.location.pathname);
const session = firstSession();
if (opening?.view === 'text') {
  loadDocumentScreen().catch(() => {}); // `lazy` asks again, and reports a failure where it renders
  session.then((me) => {
    if (me.user) prefetchDocument(opening.documentId, me.user.id);
  }, () => {});
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
