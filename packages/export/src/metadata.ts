// What every weights file we write says about itself: PyTorch's format tag, the producer, and the
// graph document, so that one .safetensors file rebuilds graph + weights (hgrad info, predict,
// export and the studio's Open read it).
import { serializeDocument, type CheckedGraph } from '@hgrad/ir';

export function weightsMetadata(
  graph: CheckedGraph,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    format: 'pt',
    producer: 'homemade-grad',
    graph: graph.document.metadata.name,
    document: serializeDocument(graph.document),
  };
}
