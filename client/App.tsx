import { Suspense, lazy } from 'react';
import { useT } from './i18n';
import { documentIdOf, usePathname } from './router';
import { SignInScreen } from './screens/SignInScreen';
import { useSession } from './session/SessionProvider';

// The document screen carries TipTap, Yjs and socket.io: loaded only once someone is signed in.
const DocumentScreen = lazy(() => import('./screens/DocumentScreen'));
const DocumentListScreen = lazy(() => import('./screens/DocumentListScreen'));

export function App() {
  const { session, retry } = useSession();
  const pathname = usePathname();
  const t = useT();

  if (session.status === 'loading') return <Loading />;
  if (session.status === 'unreachable') {
    return (
      <main className="centered-page">
        <p role="alert">{t('error.network')}</p>
        <button type="button" className="button" onClick={retry}>
          {t('section.retry')}
        </button>
      </main>
    );
  }
  if (session.status === 'signedOut') return <SignInScreen notice={session.notice} />;

  const documentId = documentIdOf(pathname);
  return (
    <Suspense fallback={<Loading />}>
      {documentId ? (
        <DocumentScreen key={documentId} documentId={documentId} user={session.user} abilities={session.abilities} />
      ) : (
        <DocumentListScreen user={session.user} />
      )}
    </Suspense>
  );
}

function Loading() {
  const t = useT();
  return (
    <div className="centered-page" role="status">
      {t('app.loading')}
    </div>
  );
}
