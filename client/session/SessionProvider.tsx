import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { RegionalGroup } from '../../shared/regions.js';
import type { DocumentAbilities as Abilities, PublicUser } from '../../shared/roles.js';
import { ApiRequestError, api, onUnauthorized } from '../api/client';
import { rememberRegionalGroups } from '../components/regionalGroups';
import type { MessageKey } from '../i18n';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; notice: MessageKey | null }
  /** `regions`: the regional groups the user speaks for (on behalf of, thread circles). */
  | { status: 'signedIn'; user: PublicUser; abilities: Abilities; regions: RegionalGroup[] }
  | { status: 'unreachable' };

interface SessionValue {
  session: SessionState;
  signIn: (username: string, password: string) => Promise<void>;
  /** Signs in with a one-time link's token (the link the Office sent). */
  signInWithLink: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The server ended the session (expired, signed out elsewhere): back to sign-in, saying why. */
  expire: () => void;
  /**
   * The Office changed who the user is (role, group, State): reads the session again, in place, so that
   * the page shows what the user may do now.
   */
  refresh: () => void;
  retry: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

let firstReading: ReturnType<typeof api.session> | null = null;

/** The page's first reading of the session, asked as the code loads rather than after the first render (a deep link waits on it). */
export function firstSession(): ReturnType<typeof api.session> {
  if (!firstReading) {
    firstReading = api.session();
    // Handled where it is used (the provider's first effect); until then a fast failure is not "uncaught".
    firstReading.catch(() => {});
  }
  return firstReading;
}

/**
 * The signed-in user and their abilities, as the server states them. The session itself is the
 * httpOnly cookie, so a reload asks GET /api/session (200 with `{ user: null }` when signed out) rather than trusting anything stored in the page.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    (attempt === 0 ? firstSession() : api.session())
      .then((me) => {
        if (cancelled) return;
        if (me.user === null) setSession({ status: 'signedOut', notice: null });
        else setSession({ status: 'signedIn', user: me.user, abilities: me.abilities, regions: me.regions ?? [] });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (err instanceof ApiRequestError && err.isNetwork) setSession({ status: 'unreachable' });
        else setSession({ status: 'signedOut', notice: null });
      });
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const expire = useCallback(() => {
    setSession((current) => (current.status === 'signedIn' ? { status: 'signedOut', notice: 'session.expired' } : current));
  }, []);

  useEffect(() => onUnauthorized(expire), [expire]);

  const refresh = useCallback(() => {
    api.session().then(
      (me) => {
        if (me.user === null) expire();
        else setSession({ status: 'signedIn', user: me.user, abilities: me.abilities, regions: me.regions ?? [] });
      },
      () => {
        // Unreachable for now: the sockets reconnect and the next change asks again.
      },
    );
  }, [expire]);

  // Names of regional groups for every owner label; a fresh session value re-renders those who show them.
  const signedIn = session.status === 'signedIn';
  useEffect(() => {
    if (!signedIn) return;
    let cancelled = false;
    api
      .regionalGroups()
      .then((groups) => {
        if (cancelled) return;
        rememberRegionalGroups(groups);
        setSession((current) => (current.status === 'signedIn' ? { ...current } : current));
      })
      .catch(() => {
        // Without the list, owners read as their codes ("AFRICA"): nothing else depends on it.
      });
    return () => {
      cancelled = true;
    };
  }, [signedIn]);

  const signIn = useCallback(async (username: string, password: string) => {
    const res = await api.signIn(username, password);
    setSession({ status: 'signedIn', user: res.user, abilities: res.abilities, regions: res.regions ?? [] });
  }, []);

  const signInWithLink = useCallback(async (token: string) => {
    const res = await api.linkSignIn(token);
    setSession({ status: 'signedIn', user: res.user, abilities: res.abilities, regions: res.regions ?? [] });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setSession({ status: 'signedOut', notice: 'session.signedOut' });
    }
  }, []);

  const retry = useCallback(() => {
    setSession({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo(
    () => ({ session, signIn, signInWithLink, signOut, expire, refresh, retry }),
    [session, signIn, signInWithLink, signOut, expire, refresh, retry],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

const NO_ABILITIES: Abilities = {
  read: false,
  edit: false,
  editDirectly: false,
  suggest: false,
  comment: false,
  decide: false,
  amend: false,
  import: false,
  importOnBehalf: false,
  consolidate: false,
  present: false,
};

/** What the signed-in user may do, as the server said (nothing while signed out). */
export function useAbilities(): Abilities {
  const { session } = useSession();
  return session.status === 'signedIn' ? session.abilities : NO_ABILITIES;
}
