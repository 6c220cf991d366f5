// Reference reading of a pnpm-lock.yaml for the pnpm_lock differential test: js-yaml reads the
// file, then the key rules documented in collectors/inventory/pnpm_lock.h are applied
// independently. Prints "name<TAB>version<TAB>dev<TAB>optional" (flags 0/1) for each distinct
// name@version, sorted, one a line. Exit 3 for a lockfileVersion other than 5.x, 6.x, 9.x.
// Usage: node pnpm_oracle.js FILE
'use strict'
const fs = require('fs')
const path = require('path')
const yaml = require(path.join(__dirname, 'node_modules', 'js-yaml'))

const semver = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/
const pkgName = /^(@[^/@:\s]+\/[^/@:\s]+|[^/@:\s][^/@:\s]*)$/

const nameAtVersion = (s) => {
  s = s.split('(')[0]
  const at = s.indexOf('@', 1)
  if (at < 0) return null
  return [s.slice(0, at), s.slice(at + 1)]
}

const nameSlashVersion = (s) => {
  const parts = s.split('/')
  const nameParts = parts[0].startsWith('@') ? 2 : 1
  if (parts.length <= nameParts) return null
  const rest = parts.slice(nameParts).join('/')
  return [parts.slice(0, nameParts).join('/'), rest.split('_')[0]]
}

const parseKey = (key, major) => {
  let nv
  if (major === 9) {
    nv = nameAtVersion(key)
  } else if (!key.includes('/')) {
    nv = nameAtVersion(key)
  } else {
    const afterHost = key.slice(key.indexOf('/') + 1)
    nv = major === 5 ? nameSlashVersion(afterHost) : nameAtVersion(afterHost)
  }
  if (!nv || !pkgName.test(nv[0]) || !semver.test(nv[1])) return null
  return nv
}

const found = new Map()
for (const doc of yaml.loadAll(fs.readFileSync(process.argv[2], 'utf8'))) {
  if (doc === null || doc === undefined) continue
  const major = parseInt(String(doc.lockfileVersion), 10)
  if (![5, 6, 9].includes(major)) process.exit(3)
  const optionalSnapshot = new Map()
  for (const [key, snap] of Object.entries(doc.snapshots || {})) {
    const bare = key.split('(')[0]
    const optional = !!(snap && snap.optional === true)
    optionalSnapshot.set(bare, (optionalSnapshot.has(bare) ? optionalSnapshot.get(bare) : true) && optional)
  }
  for (const [key, entry] of Object.entries(doc.packages || {})) {
    const res = entry && entry.resolution
    if (res && (res.repo || res.directory || res.type === 'git' || res.type === 'directory')) continue
    const nv = parseKey(key, major)
    if (!nv) continue
    let dev = false
    let optional = false
    if (major === 9) {
      optional = optionalSnapshot.get(key.split('(')[0]) === true
    } else if (entry) {
      dev = entry.dev === true
      optional = entry.optional === true
    }
    const id = nv[0] + '\t' + nv[1]
    const prev = found.get(id)
    found.set(id, prev ? [prev[0] && dev, prev[1] && optional] : [dev, optional])
  }
}
const lines = [...found].map(([id, [dev, optional]]) => `${id}\t${dev ? 1 : 0}\t${optional ? 1 : 0}`)
process.stdout.write(lines.sort().map((l) => l + '\n').join(''))
