export { architectureDocument, withReadmeDiagram } from "./architecture-document.js";
export { describePattern, renderMermaid } from "./mermaid.js";
