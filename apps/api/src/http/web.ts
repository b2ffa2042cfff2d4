import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "@upfleet/errors";
import express, { type RequestHandler, Router } from "express";

const WEB_PATH = "/app";

/**
 * Where the dashboard's build (apps/web/dist) is: beside the bundle in a production build (build.ts
 * copies it to dist/web), in the web app's folder when the API runs from source.
 */
function findWebDist(): string | null {
  const candidates = ["./web", "../../../web/dist"].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(path.join(dir, "index.html"))) ?? null;
}

/**
 * The dashboard's page may run only our own scripts (none inline), load nothing from elsewhere and
 * talk only to this origin; it holds a session token, so it is never framed either (clickjacking).
 */
const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE_HEADERS = {
  "Content-Security-Policy": WEB_CSP,
  "Cache-Control": "no-cache",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

/**
 * Serves the dashboard under /app: hashed assets (their names change with their content) cached
 * for a year, index.html revalidated on every load so a deploy shows at once, and every other path
 * under /app answered with index.html, since those are the app's own routes (deep links).
 */
export function webApp(dist: string | null = findWebDist()): Router {
  const router = Router();
  if (!dist) {
    router.use(WEB_PATH, () => {
      throw new AppError("not_found", "The dashboard is not built: run pnpm build (or pnpm start, which builds it)");
    });
    return router;
  }
  const index = path.join(dist, "index.html");
  router.use(
    `${WEB_PATH}/assets`,
    express.static(path.join(dist, "assets"), {
      index: false,
      immutable: true,
      maxAge: "365d",
      setHeaders: (res) => res.setHeader("X-Content-Type-Options", "nosniff"),
    }),
  );
  router.use(
    WEB_PATH,
    express.static(dist, {
      index: false,
      redirect: false,
      maxAge: "1h",
      // index.html asked for by name is the same page as any deep link: same headers.
      setHeaders: (res, file) => {
        if (file.endsWith(".html")) res.set(PAGE_HEADERS);
      },
    }),
  );
  router.get(`${WEB_PATH}/assets/*path`, (req) => {
    // A hashed file an older page still asks for: a 404, never index.html under a script's name.
    throw new AppError("not_found", `No dashboard file ${req.path}`);
  });
  router.get([WEB_PATH, `${WEB_PATH}/*path`], (_req, res) => {
    res.set(PAGE_HEADERS).sendFile(index);
  });
  return router;
}

/** `GET /` from a browser goes to the dashboard; API clients (JSON, or anything) keep the API's index. */
export const browserToWebApp: RequestHandler = (req, res, next) => {
  if (req.path === "/" && req.method === "GET" && req.accepts(["json", "html"]) === "html") {
    return res.redirect(302, `${WEB_PATH}/`);
  }
  next();
};
