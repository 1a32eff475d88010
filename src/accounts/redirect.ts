/**
 * Where to go after signing in: `next` when it is a path on this site, else "/". A path starts
 * with exactly one "/" and never a second "/" or "\" (browsers read "//evil.example" and
 * "/\evil.example" as another host), has no control characters or spaces (which browsers strip
 * before parsing), and resolves to this same origin.
 */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u0020\u007f\\]/.test(next)) return '/';
  try {
    const base = 'http://sada.invalid';
    const resolved = new URL(next, base);
    if (resolved.origin !== base) return '/';
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return '/';
  }
}
