// The provisioning tests (apply, idempotent re-apply, interrupted apply), unchanged, on the worker topology (Synapse main, generic worker, event persister,
// federation sender, Redis, PostgreSQL, nginx): every homeserver that file starts is a worker
// topology, and the same assertions must hold there as on the single process.
import { setDefaultTestTopology } from '../homeserver/testing';

setDefaultTestTopology('workers');
await import('./provisioning.integration.test');
