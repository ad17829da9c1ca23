import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AnsibleInventory, expandHostPattern } from './ansible-inventory';
import { ImportFileError, type ImportRecord } from './import-record';

/**
 * An Ansible INI inventory, read line by line as it streams in:
 *
 *     web1 ansible_host=10.0.0.1 ansible_port=2222     (before any section: ungrouped)
 *     [web]
 *     web[01:20].example.com ansible_user=deploy
 *     [prod:children]
 *     web
 *     [web:vars]
 *     ansible_port=2200
 *
 * Not read with the `ini` package: an Ansible host line is a name followed by several
 * key=value pairs, which a key=value INI reader splits wrongly, and it keeps no line numbers,
 * which the import's report needs.
 */
export async function ansibleIniRecords(source: Readable): Promise<ImportRecord[]> {
  const inventory = new AnsibleInventory();
  let section: { group: string; kind: 'hosts' | 'children' | 'vars' } = {
    group: 'ungrouped',
    kind: 'hosts',
  };
  let line = 0;
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let failed: Error | null = null;
  source.on('error', (error) => {
    failed = error;
    lines.close();
  });
  for await (const raw of lines) {
    line += 1;
    const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '' || text.startsWith('#') || text.startsWith(';')) continue;
    const header = /^\[([^\]:\s]+)(?::(children|vars))?\]$/.exec(text);
    if (header) {
      section = { group: header[1], kind: (header[2] as 'children' | 'vars') ?? 'hosts' };
      inventory.group(section.group, line);
      continue;
    }
    if (text.startsWith('[')) {
      throw new ImportFileError(`line ${line}`, `not a section header: ${text.slice(0, 80)}`);
    }
    const tokens = tokenize(text, line);
    switch (section.kind) {
      case 'children':
        if (tokens.length !== 1) {
          throw new ImportFileError(`line ${line}`, 'a [group:children] line names one group');
        }
        inventory.addChild(section.group, tokens[0], line);
        break;
      case 'vars':
        inventory.addGroupVars(section.group, line, pairs(tokens, line));
        break;
      case 'hosts': {
        const [pattern, ...rest] = tokens;
        const vars = pairs(rest, line);
        let names: string[];
        try {
          names = expandHostPattern(pattern);
        } catch (error) {
          throw new ImportFileError(`line ${line}`, (error as Error).message);
        }
        for (const name of names) inventory.addHost(name, line, section.group, vars);
      }
    }
  }
  if (failed) throw failed;
  return inventory.records();
}

/** Splits a line on blanks, keeping quoted values whole; `#` after a blank ends the line. */
function tokenize(text: string, line: number): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:(#.*)|((?:[^\s"']+|"[^"]*"|'[^']*')+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m[0] !== '') {
    if (m[1] !== undefined) break;
    tokens.push(m[2].replace(/"([^"]*)"|'([^']*)'/g, (_, a, b) => a ?? b));
  }
  if (
    re.lastIndex !== 0 &&
    re.lastIndex < text.length &&
    !/^\s*(#.*)?$/.test(text.slice(re.lastIndex))
  ) {
    throw new ImportFileError(`line ${line}`, 'has an unclosed quote');
  }
  return tokens;
}

function pairs(tokens: string[], line: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0)
      throw new ImportFileError(
        `line ${line}`,
        `expected key=value, found '${token.slice(0, 80)}'`,
      );
    out[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return out;
}
