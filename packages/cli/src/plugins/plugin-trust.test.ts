import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from '../testing/make-image-folder.js';
import { runCliProcess, TINY_IMAGE_RUN } from '../testing/run-cli.js';

// A plugin that says when its code ran: importing it appends a line to a marker file beside it.
const MARKER_PLUGIN = `import { appendFileSync } from 'node:fs';
appendFileSync(new URL('./imported.marker', import.meta.url), 'imported\\n');
export default { name: 'marker', register() {} };
`;

let work: string;
let plugin: string;
let marker: string;
/** How many times the plugin's code ran since the last call (and forget them). */
const importsSinceLastLook = () => {
  if (!existsSync(marker)) return 0;
  const count = readFileSync(marker, 'utf8').trim().split('\n').length;
  rmSync(marker);
  return count;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-plugin-trust-'));
  await makeImageFolder(join(work, 'images'), { perClass: 4, classes: 2, channels: 1 });
  plugin = join(work, 'marker-plugin.mjs');
  marker = join(work, 'imported.marker');
  writeFileSync(plugin, MARKER_PLUGIN);
  // A shared config: its plugin is someone else's code.
  writeFileSync(
    join(work, 'shared.json'),
    JSON.stringify({ plugins: ['./marker-plugin.mjs'], data: './images', method: 'simclr' }),
  );
});

const dryRun = ['--dry-run', ...TINY_IMAGE_RUN, '--quiet'];

describe("a config's plugins run only when the user names them or trusts them", () => {
  it('pretrain refuses the plugins a config file names, even under --dry-run, importing nothing', async () => {
    const refused = await runCliProcess(['pretrain', '--config', 'shared.json', ...dryRun], { cwd: work });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(
      `${join(work, 'shared.json')} names plugin code, which runs with your rights, and plugins run only when you name them: ${plugin}; ` +
        "run each by naming it (--plugin <path>), or trust the config's plugins with --trust-plugins",
    );
    expect(importsSinceLastLook()).toBe(0);
  }, 120_000);

  it('pretrain runs them, once each and logged with their path, when named with --plugin or trusted', async () => {
    const named = await runCliProcess(
      ['pretrain', '--config', 'shared.json', '--plugin', './marker-plugin.mjs', '--dry-run', ...TINY_IMAGE_RUN],
      { cwd: work },
    );
    expect(named.code, named.stderr).toBe(0);
    expect(named.stderr).toContain(`plugin ${plugin}: named on the command line`);
    expect(importsSinceLastLook()).toBe(1);
    const trusted = await runCliProcess(
      ['pretrain', '--config', 'shared.json', '--trust-plugins', '--dry-run', ...TINY_IMAGE_RUN],
      { cwd: work },
    );
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stderr).toContain(`plugin ${plugin}: trusted (--trust-plugins)`);
    expect(importsSinceLastLook()).toBe(1);
  }, 120_000);

  it("resume never imports the plugins a run's config.json records unless confirmed", async () => {
    const run = await runCliProcess(
      [
        'pretrain',
        '--data',
        './images',
        '--method',
        'simclr',
        '--plugin',
        './marker-plugin.mjs',
        ...TINY_IMAGE_RUN,
        '--max-steps',
        '1',
        '--set',
        'evaluation.enabled=false',
        '--out',
        'runs/marked',
        '--quiet',
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(importsSinceLastLook()).toBe(1);
    expect(JSON.parse(readFileSync(join(work, 'runs', 'marked', 'config.json'), 'utf8')).plugins).toEqual([plugin]);

    const refused = await runCliProcess(['resume', 'runs/marked', '--max-steps', '2', '--quiet'], { cwd: work });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(`resuming would run again: ${plugin}; confirm each with --plugin <path>`);
    expect(importsSinceLastLook()).toBe(0);

    const trusted = await runCliProcess(['resume', 'runs/marked', '--max-steps', '2', '--trust-plugins', '--json'], {
      cwd: work,
    });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stderr).toContain(`plugin ${plugin}: trusted (--trust-plugins)`);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ steps: 2, resumedFromStep: 1 });
    expect(importsSinceLastLook()).toBe(1);
  }, 180_000);
});
