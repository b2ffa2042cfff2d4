/**
 * The signed-in session: the API's 12-hour token, kept in this tab's sessionStorage (ADR 0013). Not a
 * cookie, so no request carries it unless this code adds it (no CSRF surface); per tab and gone when
 * the tab closes; the strict CSP (scripts from our origin only) is what keeps other code from reading it.
 */
export interface Session {
  token: string;
  expiresAt: string;
  email: string;
}

const KEY = "upfleet.session";
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Session | null;
    return stored && Date.parse(stored.expiresAt) > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  if (current && Date.parse(current.expiresAt) <= Date.now()) setSession(null);
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: components re-render when the session starts or ends. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
