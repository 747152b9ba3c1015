// A weights file that carries its graph: homemade-grad writes the graph document into the
// safetensors metadata ("document"), so Open can rebuild graph + weights from that one file.
// Only the header is read here (8-byte little-endian length, then JSON).

export type WeightsDocument = { ok: true; document: string } | { ok: false; reason: string };

export function documentInSafetensors(bytes: Uint8Array): WeightsDocument {
  if (bytes.byteLength < 8) return { ok: false, reason: 'the file is too short to be safetensors' };
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (length > bytes.byteLength - 8) return { ok: false, reason: 'its header runs past the end of the file' };
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  } catch {
    return { ok: false, reason: 'its header is not valid JSON' };
  }
  const metadata = (header as { __metadata__?: Record<string, unknown> }).__metadata__;
  const document = metadata?.document;
  return typeof document === 'string'
    ? { ok: true, document }
    : { ok: false, reason: 'it carries no graph document (open the .hgrad.json, then File → Load weights)' };
}
