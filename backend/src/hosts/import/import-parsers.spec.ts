import { Readable } from 'node:stream';
import { ansibleIniRecords } from './ansible-ini';
import { expandHostPattern } from './ansible-inventory';
import { ansibleYamlRecords } from './ansible-yaml';
import { csvRecords } from './csv-records';
import { ImportFileError, type ImportRecord } from './import-record';

const stream = (text: string) => Readable.from([Buffer.from(text)]);
const csv = async (text: string) => {
  const out: ImportRecord[] = [];
  for await (const r of csvRecords(stream(text))) out.push(r);
  return out;
};
const fileError = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  return error as ImportFileError;
};

describe('csvRecords', () => {
  it('numbers rows by the line they start on, blank lines and quoted line breaks counted', async () => {
    const rows = await csv(
      '\uFEFFhostname,tags,description\nweb-1,a;b,"two\nlines"\n\nweb-2,,plain\n',
    );
    expect(rows).toEqual([
      {
        line: 2,
        values: { hostname: 'web-1', tags: 'a;b', description: 'two\nlines' },
        errors: [],
      },
      { line: 5, values: { hostname: 'web-2', tags: '', description: 'plain' }, errors: [] },
    ]);
  });

  it('reads the columns an export adds and ignores them', async () => {
    const rows = await csv('hostname,monitoring_state,id\ndb,HEALTHY,x\n');
    expect(rows[0].values).toEqual({ hostname: 'db' });
  });

  it('reports a row with the wrong number of fields', async () => {
    const [row] = await csv('hostname,port\nweb,22,extra\n');
    expect(row.errors).toEqual(['has 3 field(s); the header (line 1) has 2']);
  });

  it('refuses a file without a header naming hostname, with unknown or repeated columns', async () => {
    expect((await fileError(csv('web-1,10.0.0.1\n'))).where).toBe('line 1');
    expect((await fileError(csv('hostname,colour\nweb,red\n'))).problem).toMatch(/'colour'/);
    expect((await fileError(csv('hostname,port,port\n'))).problem).toMatch(/repeated/);
    expect((await fileError(csv(''))).problem).toMatch(/empty/);
  });

  it('names the line of a broken quote', async () => {
    const error = await fileError(csv('hostname,description\nweb,"open\n'));
    expect(error.where).toMatch(/^line \d+$/);
  });
});

describe('Ansible inventories', () => {
  const ini = `# fleet
bastion ansible_host=10.0.0.1
[web]
web[01:03].example.com ansible_user=deploy
db-1 ansible_host=10.0.0.9 ansible_port="2222"   # inline comment
[db]
db-1
[prod:children]
web
db
[prod:vars]
ansible_port=2200
`;

  it('reads hosts, groups as tags (children make their parents tags), vars by nearness', async () => {
    const rows = await ansibleIniRecords(stream(ini));
    expect(rows.map((r) => [r.line, r.values])).toEqual([
      [2, { hostname: 'bastion', ip_address: '10.0.0.1', tags: '' }],
      [4, { hostname: 'web01.example.com', port: '2200', username: 'deploy', tags: 'prod;web' }],
      [4, { hostname: 'web02.example.com', port: '2200', username: 'deploy', tags: 'prod;web' }],
      [4, { hostname: 'web03.example.com', port: '2200', username: 'deploy', tags: 'prod;web' }],
      [5, { hostname: 'db-1', ip_address: '10.0.0.9', port: '2222', tags: 'prod;web;db' }],
    ]);
  });

  it('reads the same inventory from YAML', () => {
    const yaml = `all:
  hosts:
    bastion:
      ansible_host: 10.0.0.1
  children:
    prod:
      vars:
        ansible_port: 2200
      children:
        web:
          hosts:
            web[01:03].example.com:
              ansible_user: deploy
            db-1:
              ansible_host: 10.0.0.9
              ansible_port: 2222
        db:
          hosts:
            db-1:
`;
    const rows = ansibleYamlRecords(yaml);
    expect(rows.map((r) => [r.line, r.values])).toEqual([
      [3, { hostname: 'bastion', ip_address: '10.0.0.1', tags: '' }],
      [12, { hostname: 'web01.example.com', port: '2200', username: 'deploy', tags: 'prod;web' }],
      [12, { hostname: 'web02.example.com', port: '2200', username: 'deploy', tags: 'prod;web' }],
      [12, { hostname: 'web03.example.com', port: '2200', username: 'deploy', tags: 'prod;web' }],
      [14, { hostname: 'db-1', ip_address: '10.0.0.9', port: '2222', tags: 'prod;web;db' }],
    ]);
  });

  it('refuses a loop of children, naming the line that closes it', async () => {
    const loop = '[a:children]\nb\n[b:children]\nc\n[c:children]\na\n[a]\nh1\n';
    const error = await fileError(ansibleIniRecords(stream(loop)));
    expect(error.where).toBe('line 6');
    expect(error.problem).toMatch(/a → b → c → a/);
    const yamlLoop =
      'all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n';
    const yamlError = await fileError(Promise.resolve().then(() => ansibleYamlRecords(yamlLoop)));
    expect(yamlError.where).toBe('line 7');
  });

  it('refuses what is not an inventory', async () => {
    expect((await fileError(ansibleIniRecords(stream('[web\nh1\n')))).where).toBe('line 1');
    expect((await fileError(ansibleIniRecords(stream('[web:vars]\nnot-a-pair\n')))).where).toBe(
      'line 2',
    );
    const bad = await fileError(Promise.resolve().then(() => ansibleYamlRecords('all: [1, 2]\n')));
    expect(bad.where).toBe('line 1');
    const broken = await fileError(
      Promise.resolve().then(() => ansibleYamlRecords('all:\n  hosts:\n   - a\n  b: : c\n')),
    );
    expect(broken.problem).toMatch(/YAML|mapping/);
  });

  it('expands host ranges', () => {
    expect(expandHostPattern('web[08:10]')).toEqual(['web08', 'web09', 'web10']);
    expect(expandHostPattern('db-[a:c].x')).toEqual(['db-a.x', 'db-b.x', 'db-c.x']);
    expect(expandHostPattern('n[1:9:4]')).toEqual(['n1', 'n5', 'n9']);
    expect(expandHostPattern('plain')).toEqual(['plain']);
    expect(() => expandHostPattern('n[9:1]')).toThrow(/backwards/);
  });

  it('refuses ranges and nesting that would ask for more than the file holds', async () => {
    expect(() => expandHostPattern('h[0:99999][0:99999]')).toThrow(/more than 200000 hosts/);
    const ini = '[web]\nh[0:99999][0:99999]\n';
    expect((await fileError(ansibleIniRecords(stream(ini)))).where).toBe('line 2');
    let yaml = 'all:\n';
    for (let i = 0; i < 150; i++)
      yaml += `${'  '.repeat(2 * i + 1)}children:\n${'  '.repeat(2 * i + 2)}g${i}:\n`;
    const deep = await fileError(Promise.resolve().then(() => ansibleYamlRecords(yaml)));
    expect(deep.problem).toMatch(/nested more than 100/);
  });
});
