/** The variables a proxy is read from, as curl and most HTTP clients read them. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/**
 * The proxy for requests to `target` (an origin such as `https://ocr.captchaai.com`) from the
 * environment, or undefined to connect directly: `https_proxy` / `HTTPS_PROXY` for an https
 * target, `http_proxy` / `HTTP_PROXY` for http (the lower-case name first), unless `no_proxy` /
 * `NO_PROXY` names the host. A NO_PROXY entry is a host, a domain (`example.com` and
 * `.example.com` match its subdomains too), optionally with `:port`, or `*` for every host.
 */
export function proxyFromEnv(target: URL, env: ProxyEnv): string | undefined {
  const https = target.protocol === 'https:';
  const proxy = https
    ? (env['https_proxy'] ?? env['HTTPS_PROXY'])
    : (env['http_proxy'] ?? env['HTTP_PROXY']);
  if (proxy === undefined || proxy.trim() === '') return undefined;
  return bypassed(target, env['no_proxy'] ?? env['NO_PROXY'] ?? '') ? undefined : proxy.trim();
}

function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, port: entryPort } = hostAndPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    const domain = name.replace(/^\*?\./, '');
    if (host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address (colons, no port). */
function hostAndPort(entry: string): { name: string; port: string | undefined } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', port: bracketed[2] };
  const single = /^([^:]*):(\d+)$/.exec(entry);
  if (single) return { name: single[1] ?? '', port: single[2] };
  return { name: entry, port: undefined };
}
