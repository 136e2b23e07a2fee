// Loads every client package the way the tests do (ESM and CommonJS): `scripts/clients.sh install`
// runs it, so a lock file that installs but does not load fails at install, not in a test.
import { create } from 'kubo-rpc-client'
import { Cluster } from '@nftstorage/ipfs-cluster'
import { Configuration, RemotePinningServiceClient } from '@ipfs-shipyard/pinning-service-client'
import { createRequire } from 'module'

const require = createRequire(import.meta.url)
const loaded = {
  'kubo-rpc-client': typeof create,
  '@nftstorage/ipfs-cluster': typeof Cluster,
  '@ipfs-shipyard/pinning-service-client': typeof Configuration + '/' + typeof RemotePinningServiceClient,
  'ipfs-cluster-api': typeof require('ipfs-cluster-api'),
  'playwright-core': typeof require('playwright-core').chromium,
}
const bad = Object.entries(loaded).filter(([, t]) => t.includes('undefined'))
if (bad.length) {
  console.error('clients: did not load: ' + bad.map(([n]) => n).join(', '))
  process.exit(1)
}
