import { Suspense, lazy } from 'react';
import { ContractErrorBanner } from './components/ContractErrorBanner';
import { useT } from './i18n';
import { documentViewOf, usePathname } from './router';
import { SignInScreen } from './screens/SignInScreen';
import { loadDocumentScreen } from './screens/documentScreenCode';
import { useSession } from './session/SessionProvider';

// The document screen carries TipTap, Yjs and socket.io: loaded only once someone is signed in.
const DocumentScreen = lazy(loadDocumentScreen);
const DocumentListScreen = lazy(() => import('./screens/DocumentListScreen'));
// The Office's desk, versions and comparison, and the audit log: chunks of their own, loaded when opened.
const DeskScreen = lazy(() => import('./desk/DeskScreen'));
const VersionsScreen = lazy(() => import('./versions/VersionsScreen'));
const AuditScreen = lazy(() => import('./audit/AuditScreen'));
const SinceScreen = lazy(() => import('./whatsNew/SinceScreen'));
// The Office's participants, and the landing page of a one-time sign-in link.
const ParticipantsScreen = lazy(() => import('./accounts/ParticipantsScreen'));
const LinkSignInScreen = lazy(() => import('./accounts/LinkSignInScreen'));
const ImportDocumentScreen = lazy(() => import('./accounts/ImportDocumentScreen'));

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
  if (pathname === '/sign-in/link' && session.status === 'signedOut') {
    return (
      <Suspense fallback={<Loading />}>
        <LinkSignInScreen />
      </Suspense>
    );
  }
  if (session.status === 'signedOut') return <SignInScreen notice={session.notice} />;

  const route = documentViewOf(pathname);
  const user = session.user;
  return (
    <Suspense fallback={<Loading />}>
      <ContractErrorBanner />
      {pathname === '/participants' ? (
        <ParticipantsScreen user={user} />
      ) : pathname === '/import-document' ? (
        <ImportDocumentScreen user={user} />
      ) : !route ? (
        <DocumentListScreen user={user} />
      ) : route.view === 'desk' ? (
        <DeskScreen key={route.documentId} documentId={route.documentId} user={user} />
      ) : route.view === 'versions' || route.view === 'compare' || route.view === 'version' ? (
        <VersionsScreen key={route.documentId} route={route} user={user} />
      ) : route.view === 'audit' ? (
        <AuditScreen key={route.documentId} documentId={route.documentId} user={user} />
      ) : route.view === 'since' ? (
        <SinceScreen key={route.documentId} documentId={route.documentId} user={user} />
      ) : (
        <DocumentScreen key={route.documentId} documentId={route.documentId} user={user} abilities={session.abilities} />
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
