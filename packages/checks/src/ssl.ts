import { isIP } from "node:net";
import { performance } from "node:perf_hooks";
import tls, { type PeerCertificate, type TLSSocket } from "node:tls";
import type { OutboundGuard } from "@upfleet/outbound";
import { failure } from "./classify.ts";
import type { ExecutorFactory, RunContext } from "./executor.ts";
import type { CheckResult, ErrorClass } from "./result.ts";
import type { SslCheckSpec } from "./spec.ts";

const DAY_MS = 86_400_000;

/**
 * An ssl check makes a TLS handshake (SNI = host) and judges the certificate the server presents: up
 * when its chain verifies and it is valid for the host, with the days it has left; down naming what is
 * wrong otherwise. The handshake time is the response time.
 */
export const createSslExecutor: ExecutorFactory<"ssl"> = ({ guard, trustedCa }) => ({
  run: (spec, context) => runSslCheck(spec, context, guard, trustedCa),
});

/** OpenSSL's and Node's verdicts, by what a person would call them. */
const VERDICTS: Record<string, ErrorClass> = {
  CERT_HAS_EXPIRED: "ssl_expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "ssl_self_signed",
  SELF_SIGNED_CERT_IN_CHAIN: "ssl_self_signed",
  ERR_TLS_CERT_ALTNAME_INVALID: "ssl_hostname_mismatch",
};

const MESSAGES: Partial<Record<ErrorClass, string>> = {
  ssl_expired: "The certificate has expired",
  ssl_self_signed: "The certificate is self-signed and not trusted",
  ssl_hostname_mismatch: "The certificate is not valid for this host name",
};

async function runSslCheck(
  spec: SslCheckSpec,
  context: RunContext,
  guard: OutboundGuard,
  trustedCa: string[] | undefined,
): Promise<CheckResult> {
  const host = spec.host.replace(/^\[(.*)\]$/, "$1");
  const started = performance.now();
  let socket: TLSSocket | undefined;
  try {
    // tls.connect skips `lookup` for IP literals, so those are judged here; names go through the guard's
    // (an internal one fails here already).
    guard.assertHostAllowed(host);
    context.signal.throwIfAborted();
    const connected = new Promise<TLSSocket>((resolve, reject) => {
      const s = tls.connect({
        host,
        port: spec.port,
        lookup: guard.lookup,
        ...(isIP(host) ? {} : { servername: host }),
        ...(trustedCa ? { ca: trustedCa } : {}),
        // Verification still happens (Node sets `authorized` and `authorizationError`, host name
        // included); not aborting on a bad certificate lets the result say which problem it has and
        // when it expires. Nothing is sent over the connection: it is closed right after the handshake.
        rejectUnauthorized: false,
      });
      socket = s;
      s.once("secureConnect", () => resolve(s));
      s.on("error", reject); // `on`: a second error after the first must not go uncaught
      context.signal.addEventListener("abort", () => reject(context.signal.reason), { once: true });
    });
    const secured = await connected;
    const responseMs = Math.round(performance.now() - started);
    const certificate = secured.getPeerCertificate();
    if (!certificate || Object.keys(certificate).length === 0) {
      throw Object.assign(new Error("The server presented no certificate"), { code: "ERR_SSL_NO_CERTIFICATE" });
    }
    const details = { ...describe(certificate), ip: secured.remoteAddress ?? null };
    const base = { responseMs, httpStatus: null, timings: { tls: responseMs, total: responseMs }, details };
    if (secured.authorized) return { ...base, status: "up", error: null, message: null };
    const code = String(secured.authorizationError ?? "UNKNOWN");
    const error = VERDICTS[code] ?? "ssl_invalid";
    return {
      ...base,
      details: { ...details, code },
      status: "down",
      error,
      message: `${MESSAGES[error] ?? "The certificate does not verify"} (${code})`,
    };
  } catch (error) {
    return failure(error, { timeoutMs: spec.timeoutMs, ...context });
  } finally {
    (socket as TLSSocket | undefined)?.destroy();
  }
}

/** What check history and the expiry alerts need of a certificate. */
function describe(certificate: PeerCertificate) {
  const validTo = new Date(certificate.valid_to);
  return {
    days_left: Math.floor((validTo.getTime() - Date.now()) / DAY_MS),
    valid_to: validTo.toISOString(),
    valid_from: new Date(certificate.valid_from).toISOString(),
    issuer: distinguishedName(certificate.issuer),
    subject: distinguishedName(certificate.subject),
    /** Tells one certificate from its renewal, which re-arms the expiry alerts. */
    fingerprint256: certificate.fingerprint256,
  };
}

function distinguishedName(name: PeerCertificate["subject"] | undefined): string {
  return Object.entries(name ?? {})
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join("+") : value}`)
    .join(", ");
}
