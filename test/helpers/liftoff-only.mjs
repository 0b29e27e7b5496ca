// Loaded into the test workers (vitest setupFiles) and, through NODE_OPTIONS, into every CLI process the
// tests start. The tests run the CLI a few hundred times on small registries; for such runs V8's
// optimizing tier for WebAssembly (PGlite's PostgreSQL) costs more than it gains: about 0.6 CPU seconds
// a run went into compiling PostgreSQL's start-up code. What the tests check does not depend on V8's
// tiers. (NODE_OPTIONS does not take V8 flags, hence a module that sets it before any WebAssembly loads.)
import v8 from 'node:v8'

v8.setFlagsFromString('--liftoff-only')
