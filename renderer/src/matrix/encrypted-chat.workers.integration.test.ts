/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
// The encrypted-chat tests (login, encrypted messages, attachments, key backup, verification), unchanged, on the worker topology (Synapse main, generic worker, event persister,
// federation sender, Redis, PostgreSQL, nginx): every homeserver that file starts is a worker
// topology, and the same assertions must hold there as on the single process.
import { setDefaultTestTopology } from '../../../homeserver/testing';

setDefaultTestTopology('workers');
await import('./encrypted-chat.integration.test');
