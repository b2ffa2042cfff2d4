/**
 * Credentials are write-only: reads show `••••`, and the last 4 characters where the value is long
 * enough (≥ 16) that they give nothing useful away and tell two values apart. Masking is idempotent
 * (a masked value stays as it is), so a value stored masked and a legacy one masked on read look alike.
 */
export const MASK = "••••";

const MIN_LENGTH_TO_SHOW_TAIL = 16;

export function isMasked(value: string): boolean {
  return value.startsWith(MASK);
}

export function maskValue(value: string, options: { tail: boolean } = { tail: true }): string {
  if (isMasked(value)) return value;
  return options.tail && value.length >= MIN_LENGTH_TO_SHOW_TAIL ? `${MASK}${value.slice(-4)}` : MASK;
}

// scheme://userinfo@ — the authority ends at the first / ? or #, the user info at its last @. Matched
// as text, not with URL, because api-step URLs may hold {{templates}} and must round-trip unchanged.
const USER_INFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/;

/** The user info of a URL (`user:password`), or null when it has none. */
export function userInfoOf(url: string): string | null {
  return USER_INFO.exec(url)?.[2] ?? null;
}

/** The URL with its user info replaced (null removes it). */
export function withUserInfo(url: string, userInfo: string | null): string {
  const match = USER_INFO.exec(url);
  const rest = match ? url.slice(match[0].length) : url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)/, "");
  const scheme = match?.[1] ?? /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)/.exec(url)?.[1];
  if (!scheme) return url;
  return userInfo === null ? `${scheme}${rest}` : `${scheme}${userInfo}@${rest}`;
}

/**
 * The URL with its user info masked, no tail shown: the tail of `user:password` is the password's
 * end. A URL without user info is returned as it is.
 */
export function maskUrlUserInfo(url: string): string {
  const userInfo = userInfoOf(url);
  return userInfo === null ? url : withUserInfo(url, maskValue(userInfo, { tail: false }));
}
