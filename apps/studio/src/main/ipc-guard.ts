// Who may call main over IPC: only the app's own top-level page. A frame inside it (an iframe),
// a page of another origin that navigated in, or a frame that no longer exists is refused with
// the reason. Plain data in, so it is tested without Electron.
export interface SenderFrame {
  url: string;
  /** null for the top frame. */
  parent: unknown;
}

export function senderRefusal(frame: SenderFrame | null | undefined, appUrl: string): string | null {
  if (!frame) return 'the calling frame no longer exists';
  if (frame.parent !== null && frame.parent !== undefined)
    return 'only the app’s top-level page may call the main process';
  let url: URL;
  let app: URL;
  try {
    url = new URL(frame.url);
    app = new URL(appUrl);
  } catch {
    return `the caller's address '${frame.url}' is not the app's`;
  }
  // http(s) (the dev server): the same origin. The app's own scheme or file: (origins of such
  // URLs are opaque): the same scheme, host and page.
  const same =
    app.protocol === 'http:' || app.protocol === 'https:'
      ? url.origin === app.origin
      : url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname;
  return same ? null : `the caller's address '${frame.url}' is not the app's`;
}
