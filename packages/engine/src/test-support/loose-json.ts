// Artifact JSON as tests edit it: they reach into arbitrary paths to break them, and a precise type would only
// obscure that. Test-only; the one place the engine allows `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = Record<string, any>;
