// The one DOM helper: an element with properties, data attributes and children.

/** `el('button', { type: 'button', textContent: 'Go', dataset: { key: 'x' }, attrs: { 'aria-label': 'Go' } }, child…)`. */
export function el(tag, props = {}, ...children) {
  const { dataset, attrs, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(node.dataset, dataset);
  if (attrs) for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
