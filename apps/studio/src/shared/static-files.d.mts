// Types of static-files.mjs (plain JavaScript so that the web server runs without a build).
export declare const CONTENT_SECURITY_POLICY: string;
export declare const SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare function contentType(file: string): string;
export declare function resolveStaticPath(
  root: string,
  pathname: string,
): { ok: true; path: string } | { ok: false; status: 400 | 403; reason: string };
