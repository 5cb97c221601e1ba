// The few host functions the core uses that exist in every JavaScript host (browsers, Node, Deno)
// but are not in the ES library typings. Declared here so the core does not depend on DOM or Node types.
declare function setTimeout(callback: () => void, ms?: number): unknown;
