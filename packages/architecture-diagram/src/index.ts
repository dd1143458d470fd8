export {
  architectureDocument,
  mermaidBlock,
  README_END,
  README_START,
  withReadmeDiagram,
} from "./architecture-document.js";
export { describePattern, renderMermaid } from "./mermaid.js";
