// Document versions. MIGRATIONS[v] turns a version-v document into version v+1; parse runs
// them in order up to CURRENT_VERSION. Each migration gets a fixture test (an old document
// and the expected upgraded one). Version 1 is the first published format, so none exist yet.
import { CURRENT_VERSION } from './schema.ts';

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const FIRST_VERSION = 1;
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export type MigrationResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function migrate(doc: Record<string, unknown>): MigrationResult {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version))
    return {
      ok: false,
      message: `version must be an integer document version (got ${JSON.stringify(version)})`,
    };
  if (version > CURRENT_VERSION)
    return {
      ok: false,
      message: `document version ${version} is newer than this app supports (${CURRENT_VERSION}); update homemade-grad to open it`,
    };
  if (version < FIRST_VERSION)
    return {
      ok: false,
      message: `version ${version} is not a homemade-grad document version (the first is ${FIRST_VERSION})`,
    };
  let value = doc;
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { ok: false, message: `no migration from document version ${v} to ${v + 1}` };
    value = { ...step(value), version: v + 1 };
  }
  return { ok: true, value };
}
