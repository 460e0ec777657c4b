// Credentials in URLs (`https://user:token@host`) must never reach a log line or a result.

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

/** Replaces the user-info part of every URL in `text` with `***`. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** The secret parts of a URL (password, and the user name when it carries a token), for log masking. */
export function urlSecrets(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(url.trim());
  if (!m) return [];
  const userinfo = m[1]!;
  const colon = userinfo.indexOf(':');
  const secrets = [userinfo];
  if (colon >= 0) {
    const password = userinfo.slice(colon + 1);
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // not percent-encoded: the raw form above is what appears
    }
  }
  return secrets.filter((s) => s.length > 0);
}
