/**
 * The little XML the ONVIF emulator needs to read SOAP requests: elements by local name (namespace
 * prefixes dropped, as ONVIF clients and cameras disagree on them), attributes, text. Not a general
 * parser: no DTDs, no processing instructions beyond skipping them, entities limited to the five
 * predefined ones and numeric references.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    if (entity[0] === '#')
      return String.fromCodePoint(
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
      );
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity.toLowerCase()]!;
  });
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Parses a document into its root element; throws on anything malformed (unbalanced tags, no root). */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag =
    /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let match = tag.exec(source); match; match = tag.exec(source)) {
    const between = source.slice(last, match.index);
    if (/</.test(between))
      throw new Error(
        `malformed XML near ${JSON.stringify(between.slice(between.indexOf('<'), between.indexOf('<') + 30))}`,
      );
    if (stack.length > 0) stack.at(-1)!.text += unescapeXml(between);
    last = tag.lastIndex;
    const [, closing, qualified, attributeText, selfClosing, cdata] = match;
    if (cdata !== undefined) {
      if (stack.length > 0) stack.at(-1)!.text += cdata;
      continue;
    }
    if (!qualified) continue; // a processing instruction or a comment
    const name = localName(qualified);
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name)
        throw new Error(`unbalanced XML: </${qualified}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      if (stack.length === 0) root = open;
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of (attributeText ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (attribute[1]!.startsWith('xmlns')) continue;
      attributes[localName(attribute[1]!)] = unescapeXml(attribute[2] ?? attribute[3] ?? '');
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (stack.length > 0) stack.at(-1)!.children.push(element);
    else if (root) throw new Error('more than one root element');
    if (selfClosing) {
      if (stack.length === 0) root = element;
    } else stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed XML element <${stack.at(-1)!.name}>`);
  if (/</.test(source.slice(last))) throw new Error('malformed XML at the end of the document');
  if (!root) throw new Error('no XML element found');
  return root;
}

/** The first descendant along a path of local names: `child(envelope, 'Body', 'ContinuousMove')`. */
export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current;
}

export function textOf(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const found = child(element, ...path);
  return found ? found.text.trim() : undefined;
}
