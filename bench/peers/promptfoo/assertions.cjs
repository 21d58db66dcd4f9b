// promptfoo `javascript` assertions that decide each row the way Flywheel's deterministic evaluators do, so that
// bench/peers/run.sh can time both tools on the same work and check that they agree row by row.
//
//   answer   ↔ ground-truth-match, method token-f1 (SQuAD normalization and token F1 ≥ config.threshold)
//   grounded ↔ groundedness, method lexical (every sentence supported by one context chunk: ≥ config.min_support of its
//              content words and all of its numbers; supported / claims ≥ config.threshold)
//   tools    ↔ tool-selection (BFCL rules: names, required/undeclared arguments, acceptable values, any order unless strict)
//
// Each function is promptfoo's javascript assertion signature (output, context) and reads the row from context.vars,
// which bench/Flywheel.Bench.Peers writes from the very rows.jsonl and responses.jsonl Flywheel reads. An evaluator that
// does not apply to a row (no answers, no context, no expected calls) passes it, as Flywheel leaves it out of the row
// verdict. Only the verdicts have to match Flywheel's (the agreement check compares them); reasons are short.
'use strict';

// .NET's char.IsWhiteSpace / Regex \s, which differ from JavaScript's \s at U+0085 and U+FEFF.
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const IS_WS = new RegExp(`[${WS}]`);
const PUNCT_OR_SYMBOL = /[\p{P}\p{S}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const NON_SPACING_MARK = /\p{Mn}/u;
const SENTENCE_BOUNDARY = new RegExp(`(?<=[.!?。！？])[${WS}]+|\\r?\\n+`, 'u');
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, 'g');
const ASCII = /^[\x00-\x7f]*$/;

const own = (object, key) => object !== null && typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, key);
const netTrim = (text) => text.replace(TRIM, '');

// ---------------------------------------------------------------- answer: SQuAD token F1

function squadTokens(text) {
  if (!text) return [];
  const composed = ASCII.test(text) ? text : text.normalize('NFC');
  let kept = '';
  for (const ch of composed) {
    if (PUNCT_OR_SYMBOL.test(ch)) continue; // deleted, not split on: "182,410.22" stays one token
    kept += IS_WS.test(ch) ? ' ' : ch.toLowerCase();
  }
  return kept.split(' ').filter((t) => t.length > 0 && t !== 'a' && t !== 'an' && t !== 'the');
}

function tokenF1(prediction, reference) {
  if (prediction.length === 0 || reference.length === 0) return prediction.length === reference.length ? 1 : 0;
  const counts = new Map();
  for (const t of reference) counts.set(t, (counts.get(t) || 0) + 1);
  let common = 0;
  for (const t of prediction) {
    const left = counts.get(t);
    if (left > 0) {
      counts.set(t, left - 1);
      common++;
    }
  }
  if (common === 0) return 0;
  const precision = common / prediction.length;
  const recall = common / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

function answer(output, context) {
  const answers = (context.vars.expected && context.vars.expected.answers) || [];
  if (answers.length === 0) return { pass: true, score: 1, reason: 'not applicable: no expected answers' };
  const threshold = context.config && typeof context.config.threshold === 'number' ? context.config.threshold : 1;
  const text = typeof output === 'string' ? output : '';
  const prediction = squadTokens(text);
  let best = -1;
  for (const a of answers) {
    const reference = squadTokens(a);
    // A symbols-only answer has no tokens: compared as written.
    const f1 = reference.length === 0 && a.length > 0
      ? (netTrim(text).normalize('NFC') === netTrim(a).normalize('NFC') ? 1 : 0)
      : tokenF1(prediction, reference);
    if (f1 > best) best = f1;
  }
  const pass = best >= threshold;
  return { pass, score: best, reason: `token F1 ${best.toFixed(2)} ${pass ? '>=' : '<'} ${threshold.toFixed(2)}` };
}

// ---------------------------------------------------------------- grounded: lexical groundedness

const STOP_WORDS = new Set([
  'a', 'about', 'above', 'after', 'again', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'because',
  'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'doing',
  'down', 'during', 'each', 'few', 'for', 'from', 'further', 'had', 'has', 'have', 'having', 'he', 'her', 'here',
  'hers', 'him', 'his', 'how', 'i', "i'm", "i'll", "i've", 'if', 'in', 'into', 'is', 'it', "it's", 'its', 'itself', 'just',
  'let', "let's", 'me', 'more', 'most', 'my', 'no', 'nor', 'not', 'now', 'of', 'off', 'on', 'once', 'only', 'or',
  'other', 'our', 'ours', 'out', 'over', 'own', 'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that',
  "that's", 'the', 'their', 'theirs', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'to',
  'too', 'under', 'until', 'up', 'us', 'very', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who',
  'whom', 'why', 'will', 'with', 'would', 'you', "you're", "you'll", "you've", 'your', 'yours', 'yourself', 'please',
  'may', 'might', 'must', 'shall', 'yes', 'ok', 'okay', 'sure', 'thanks', 'thank', 'hi', 'hello', 'dear',
  'al', 'algo', 'ante', 'antes', 'como', 'con', 'contra', 'cual', 'cuando', 'de', 'del', 'desde', 'donde', 'durante',
  'el', 'ella', 'ellas', 'ellos', 'en', 'entre', 'era', 'es', 'esa', 'ese', 'eso', 'esta', 'estan', 'estas', 'este',
  'esto', 'estos', 'fue', 'ha', 'han', 'hasta', 'hay', 'la', 'las', 'le', 'les', 'lo', 'los', 'mas', 'me', 'mi', 'mis',
  'muy', 'nada', 'ni', 'no', 'nos', 'nosotros', 'o', 'os', 'otra', 'otro', 'para', 'pero', 'poco', 'por', 'porque',
  'que', 'quien', 'se', 'sea', 'ser', 'si', 'sin', 'sobre', 'son', 'su', 'sus', 'tambien', 'te', 'tiene', 'tu', 'tus',
  'un', 'una', 'uno', 'unos', 'unas', 'usted', 'ustedes', 'vosotros', 'ya', 'yo', 'gracias', 'hola', 'puede', 'puedo',
]);

// Per UTF-16 unit, as .NET's char tests are.
const isDigit = (c) => c !== undefined && DIGIT.test(c);
const isLetter = (c) => c !== undefined && LETTER.test(c);

function fold(text) {
  if (ASCII.test(text)) return text.toLowerCase();
  const decomposed = text.normalize('NFD');
  let out = '';
  for (let i = 0; i < decomposed.length; i++) {
    const c = decomposed[i];
    if (NON_SPACING_MARK.test(c)) continue;
    out += c === '\u2019' || c === '\u2018' ? "'" : c.toLowerCase();
  }
  return out;
}

function stem(word) {
  if (word.endsWith("'s")) word = word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

const isThreeDigitGroup = (text, start) =>
  start + 3 <= text.length && isDigit(text[start]) && isDigit(text[start + 1]) && isDigit(text[start + 2]) &&
  (start + 3 === text.length || !isDigit(text[start + 3]));

function contentWords(text) {
  const words = new Set();
  const numbers = new Set();
  if (!text || netTrim(text).length === 0) return { words, numbers };
  const folded = fold(text);
  let i = 0;
  while (i < folded.length) {
    const c = folded[i];
    if (isDigit(c)) {
      let digits = '';
      let group = 0;
      let spaceGroups = 0;
      let decimalStart = -1;
      let spaceGrouped = true;
      while (i < folded.length) {
        const d = folded[i];
        if (isDigit(d)) {
          digits += d;
          group++;
        } else if ((d === ',' || d === '.' || d === '\u00a0' || d === '\u202f') && i + 1 < folded.length && isDigit(folded[i + 1])) {
          spaceGrouped = false;
          decimalStart = d === ',' || d === '.' ? digits.length : -1;
          group = 0;
        } else if (d === ' ' && spaceGrouped && (spaceGroups === 0 ? group >= 1 && group <= 3 : group === 3) && isThreeDigitGroup(folded, i + 1)) {
          spaceGroups++;
          group = 0;
        } else {
          break;
        }
        i++;
      }
      if (decimalStart > 0 && (digits.length - decimalStart === 1 || digits.length - decimalStart === 2)) {
        while (digits.length > decimalStart && digits.endsWith('0')) digits = digits.slice(0, -1);
      }
      const trimmed = digits.replace(/^0+/, '');
      numbers.add(trimmed.length === 0 ? '0' : trimmed);
      continue;
    }
    if (isLetter(c)) {
      const start = i;
      while (i < folded.length && (isLetter(folded[i]) || isDigit(folded[i]) || (folded[i] === "'" && i + 1 < folded.length && isLetter(folded[i + 1])))) i++;
      const word = folded.slice(start, i);
      if (word.length > 1 && !STOP_WORDS.has(word)) {
        const s = stem(word);
        if (s.length > 1 && !STOP_WORDS.has(s)) words.add(s);
      }
      continue;
    }
    i++;
  }
  return { words, numbers };
}

function grounded(output, context) {
  const chunks = context.vars.context || [];
  if (chunks.length === 0) return { pass: true, score: 1, reason: 'not applicable: no context' };
  const threshold = context.config && typeof context.config.threshold === 'number' ? context.config.threshold : 1;
  const minSupport = context.config && typeof context.config.min_support === 'number' ? context.config.min_support : 0.6;
  const chunkWords = chunks.map((c) => contentWords(c.text));
  const claims = [];
  if (typeof output === 'string' && netTrim(output).length > 0) {
    for (const sentence of output.split(SENTENCE_BOUNDARY)) {
      const text = netTrim(netTrim(sentence).replace(/^[-*• ]+/, ''));
      const words = contentWords(text);
      if (words.words.size > 0 || words.numbers.size > 0) claims.push(words);
    }
  }
  if (claims.length === 0) return { pass: true, score: 1, reason: 'no factual claims to check' };
  let supported = 0;
  for (const claim of claims) {
    const ok = chunkWords.some((chunk) => {
      for (const n of claim.numbers) if (!chunk.numbers.has(n)) return false;
      if (claim.words.size === 0) return true;
      let covered = 0;
      for (const w of claim.words) if (chunk.words.has(w)) covered++;
      return covered / claim.words.size >= minSupport;
    });
    if (ok) supported++;
  }
  const score = supported / claims.length;
  const pass = score >= threshold;
  return { pass, score, reason: `${supported} of ${claims.length} claim(s) supported` };
}

// ---------------------------------------------------------------- tools: BFCL tool selection

function typeOf(schema) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema) || typeof schema.type !== 'string') return null;
  switch (schema.type) {
    case 'integer': case 'int': return 'integer';
    case 'number': case 'float': case 'double': return 'number';
    case 'string': case 'str': return 'string';
    case 'boolean': case 'bool': return 'boolean';
    case 'array': case 'tuple': case 'list': return 'array';
    case 'object': case 'dict': return 'object';
    default: return schema.type;
  }
}

function standardize(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (IS_WS.test(c) || ',./-_*^'.includes(c)) continue;
    out += c.toLowerCase();
  }
  return out;
}

const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isOmitMarker = (v) => v === '';

function matches(actual, acceptable, schema) {
  const type = typeOf(schema);
  switch (kind(acceptable)) {
    case 'object':
      return kind(actual) === 'object' && dictMatches(actual, acceptable, schema);
    case 'array': {
      if (kind(actual) !== 'array' || actual.length !== acceptable.length) return false;
      const items = schema && typeof schema === 'object' && own(schema, 'items') ? schema.items : null;
      return acceptable.every((a, i) => matches(actual[i], a, items));
    }
    case 'string':
      if (typeof actual === 'string') return standardize(actual) === standardize(acceptable);
      return type === 'string' && (typeof actual === 'number' || typeof actual === 'boolean') && standardize(JSON.stringify(actual)) === standardize(acceptable);
    case 'number':
      if (typeof actual === 'number') return type === 'integer' && !Number.isInteger(actual) ? false : actual === acceptable;
      return type === 'string' && typeof actual === 'string' && standardize(actual) === standardize(JSON.stringify(acceptable));
    case 'boolean':
      return typeof actual === 'boolean' && actual === acceptable;
    case 'null':
      return actual === null;
    default:
      return false;
  }
}

function dictMatches(actual, acceptable, schema) {
  const properties = schema && typeof schema === 'object' && own(schema, 'properties') ? schema.properties : null;
  for (const key of Object.keys(actual)) if (!own(acceptable, key)) return false;
  for (const key of Object.keys(acceptable)) {
    const options = Array.isArray(acceptable[key]) ? acceptable[key] : [acceptable[key]];
    const inner = properties && own(properties, key) ? properties[key] : null;
    if (!own(actual, key)) {
      if (!options.some(isOmitMarker)) return false;
      continue;
    }
    if (!options.some((o) => matches(actual[key], o, inner))) return false;
  }
  return true;
}

function schemasOf(tools) {
  const parametersOf = (tool) => {
    const t = (tools || []).find((x) => x.name === tool);
    return t ? t.parameters : undefined;
  };
  const props = (p) => (p && typeof p === 'object' && own(p, 'properties') && kind(p.properties) === 'object' ? p.properties : null);
  return {
    parameter(tool, name) {
      const p = props(parametersOf(tool));
      return p && own(p, name) ? p[name] : null;
    },
    required(tool) {
      const p = parametersOf(tool);
      return p && kind(p) === 'object' && Array.isArray(p.required) ? p.required.filter((r) => typeof r === 'string') : [];
    },
    isUndeclared(tool, name) {
      const p = parametersOf(tool);
      if (kind(p) !== 'object') return false;
      const properties = props(p);
      if (!properties) return false;
      if (own(p, 'additionalProperties') && p.additionalProperties !== false) return false;
      return !own(properties, name);
    },
  };
}

function parseArguments(call) {
  const raw = call.arguments;
  if (raw === null || raw === undefined) return { values: {} };
  let value = raw;
  if (typeof raw === 'string') {
    if (netTrim(raw).length === 0) return { values: {} };
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: 'arguments are not valid JSON' };
    }
  }
  return kind(value) === 'object' ? { values: value } : { error: 'arguments are not a JSON object' };
}

function callMatches(expected, actual, parsed, schemas) {
  if (expected.name !== actual.name || parsed.error) return false;
  const rules = expected.arguments || {};
  const args = parsed.values;
  for (const name of Object.keys(args)) {
    if (!own(rules, name) || schemas.isUndeclared(expected.name, name)) return false;
  }
  for (const required of schemas.required(expected.name)) {
    if (!own(rules, required) && !own(args, required)) return false;
  }
  for (const name of Object.keys(rules)) {
    const acceptable = rules[name];
    if (!own(args, name)) {
      if (schemas.required(expected.name).includes(name) || !acceptable.some(isOmitMarker)) return false;
      continue;
    }
    const schema = schemas.parameter(expected.name, name);
    if (!acceptable.some((a) => matches(args[name], a, schema))) return false;
  }
  return true;
}

// Kuhn's augmenting paths: a maximum matching of expected to actual calls (parallel calls in any order).
function maximumMatching(ok, expectedCount, actualCount) {
  const ofActual = new Array(actualCount).fill(-1);
  const augment = (i, seen) => {
    for (let j = 0; j < actualCount; j++) {
      if (!ok[i][j] || seen[j]) continue;
      seen[j] = true;
      if (ofActual[j] < 0 || augment(ofActual[j], seen)) {
        ofActual[j] = i;
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (let i = 0; i < expectedCount; i++) if (augment(i, new Array(actualCount).fill(false))) matched++;
  return matched;
}

function tools(output, context) {
  const expectation = context.vars.expected;
  if (!expectation || !Array.isArray(expectation.tool_calls)) return { pass: true, score: 1, reason: 'not applicable: no expected calls' };
  const expected = expectation.tool_calls;
  const actual = context.vars.tool_calls || [];
  if (expected.length === 0 && actual.length === 0) return { pass: true, score: 1, reason: 'no tool call expected and none made' };
  if (expected.length === 0) return { pass: false, score: 0, reason: 'expected no tool call' };
  const schemas = schemasOf(context.vars.tools);
  const parsed = actual.map(parseArguments);
  const ok = expected.map((e) => actual.map((a, j) => callMatches(e, a, parsed[j], schemas)));
  const matched = expectation.tool_order === 'strict'
    ? expected.filter((_, i) => i < actual.length && ok[i][i]).length
    : maximumMatching(ok, expected.length, actual.length);
  const pass = matched === expected.length && matched === actual.length;
  const score = matched / Math.max(expected.length, actual.length);
  return { pass, score, reason: `${matched} of ${expected.length} expected call(s) matched, ${actual.length} made` };
}

module.exports = { answer, grounded, tools };
