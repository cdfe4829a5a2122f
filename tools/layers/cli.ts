import { importGraph, layerViolations } from "./importGraph";

// npm run layers: the import graph between the top-level parts of components/, and what breaks the layers.
const graph = importGraph();
for (const [edge, files] of graph) {
    console.log(`${edge.padEnd(32)} ${files.length} import${files.length === 1 ? "" : "s"}`);
}
const violations = layerViolations(graph);
console.log(
    violations.length === 0 ? "\nevery import points down" : `\nagainst the layers:\n  ${violations.join("\n  ")}`,
);
process.exit(violations.length === 0 ? 0 : 1);
