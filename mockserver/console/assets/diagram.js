// The flow definition as a state diagram: dagre (vendor/dagre.min.js) lays the graph out, this
// module draws it as SVG. States are boxes; Next, Choice branches, Default and Catch edges are
// arrows (Catch dashed); a run's current state is highlighted.

const SVG = 'http://www.w3.org/2000/svg';
const CHAR = 7.2; // px per character at the diagram's font size
const START = '(start)';
const END = '(end)';

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** edges lists a definition's transitions: {from, to, label, kind}. */
export function edges(definition) {
  const out = [];
  const states = definition?.States || {};
  if (definition?.StartAt) out.push({from: START, to: definition.StartAt, label: '', kind: 'start'});
  for (const [name, s] of Object.entries(states)) {
    if (s.Next) out.push({from: name, to: s.Next, label: '', kind: 'next'});
    if (s.End) out.push({from: name, to: END, label: '', kind: 'end'});
    for (const c of s.Choices || []) out.push({from: name, to: c.Next, label: condition(c), kind: 'choice'});
    if (s.Default) out.push({from: name, to: s.Default, label: 'Default', kind: 'choice'});
    for (const c of s.Catch || []) {
      out.push({from: name, to: c.Next, label: `Catch ${(c.ErrorEquals || []).join(', ')}`, kind: 'catch'});
    }
  }
  return out;
}

// condition summarises a Choice rule: its variable, comparison and value.
function condition(rule) {
  for (const op of ['And', 'Or']) {
    if (rule[op]) return rule[op].map(condition).join(` ${op.toLowerCase()} `);
  }
  if (rule.Not) return `not (${condition(rule.Not)})`;
  const cmp = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next');
  if (!cmp) return rule.Variable || '';
  const value = JSON.stringify(rule[cmp]);
  return `${rule.Variable || ''} ${cmp} ${value}`.trim();
}

/**
 * render draws the definition; current names the state a run is in (highlighted), visited the
 * states it has been through.
 */
export function render(definition, {current = null, visited = new Set(), title = 'Flow diagram'} = {}) {
  const states = definition?.States || {};
  const g = new dagre.graphlib.Graph({multigraph: true});
  g.setGraph({rankdir: 'TB', nodesep: 40, ranksep: 50, edgesep: 20, marginx: 10, marginy: 10});
  g.setDefaultEdgeLabel(() => ({}));
  g.setNode(START, {width: 60, height: 28, label: 'Start'});
  g.setNode(END, {width: 60, height: 28, label: 'End'});
  for (const [name, s] of Object.entries(states)) {
    const w = Math.max(name.length, (s.Type || '').length) * CHAR + 28;
    g.setNode(name, {width: Math.max(w, 90), height: 46, label: name, type: s.Type || '?'});
  }
  const list = edges(definition).filter((e) => g.hasNode(e.to) || e.to === END);
  list.forEach((e, i) => {
    if (!g.hasNode(e.to)) g.setNode(e.to, {width: 90, height: 46, label: e.to, type: 'missing'});
    const label = e.label.length > 40 ? `${e.label.slice(0, 39)}…` : e.label;
    g.setEdge(e.from, e.to, {label, kind: e.kind, width: label.length * CHAR * 0.9, height: label ? 14 : 0, labelpos: 'c'}, `e${i}`);
  });
  dagre.layout(g);
  const {width, height} = g.graph();
  const svg = el('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'diagram'});
  const described = [`${Object.keys(states).length} states`];
  if (current) described.push(`the run is in ${current}`);
  svg.append(el('title', {}, `${title}: ${described.join(', ')}`));
  const defs = el('defs');
  const marker = el('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'});
  marker.append(el('path', {d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead'}));
  defs.append(marker);
  svg.append(defs);
  for (const e of g.edges()) {
    const data = g.edge(e);
    const d = data.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
    const group = el('g', {class: `edge edge-${data.kind}`, 'data-from': e.v, 'data-to': e.w});
    group.append(el('path', {d, 'marker-end': 'url(#arrow)'}));
    if (data.label) group.append(el('text', {x: data.x, y: data.y + 4, 'text-anchor': 'middle'}, data.label));
    svg.append(group);
  }
  for (const name of g.nodes()) {
    const n = g.node(name);
    const pseudo = name === START || name === END;
    const classes = ['node', pseudo ? 'node-pseudo' : `node-${String(n.type).toLowerCase()}`];
    if (name === current) classes.push('node-current');
    else if (visited.has(name)) classes.push('node-visited');
    const group = el('g', {class: classes.join(' '), 'data-state': name, transform: `translate(${n.x - n.width / 2}, ${n.y - n.height / 2})`});
    group.append(el('rect', {width: n.width, height: n.height, rx: pseudo ? 14 : 6}));
    if (pseudo) {
      group.append(el('text', {x: n.width / 2, y: n.height / 2 + 4, 'text-anchor': 'middle'}, n.label));
    } else {
      group.append(el('text', {x: n.width / 2, y: 19, 'text-anchor': 'middle', class: 'name'}, n.label));
      group.append(el('text', {x: n.width / 2, y: 35, 'text-anchor': 'middle', class: 'type'}, n.type));
    }
    svg.append(group);
  }
  return svg;
}
