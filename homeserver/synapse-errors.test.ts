import { describe, expect, it } from 'vitest';
import { extractSynapseError } from './synapse-errors';

describe('extractSynapseError', () => {
  it("keeps Synapse's own config error and the lines under it", () => {
    const log = [
      'some earlier line',
      "Error in configuration at 'listeners':",
      '  Expected a list',
      '2026-01-01 00:00:00,000 - later - INFO - x',
    ].join('\n');
    expect(extractSynapseError(log)).toEqual([
      "Error in configuration at 'listeners':",
      '  Expected a list',
    ]);
  });

  it('reduces a traceback to the exception and the config module line that raised it', () => {
    const log = [
      'Traceback (most recent call last):',
      '  File "<frozen runpy>", line 198, in _run_module_as_main',
      '  File "/v/site-packages/synapse/config/_base.py", line 438, in invoke_all',
      '    res[config_class.section] = getattr(config, func_name)(*args, **kwargs)',
      '  File "/v/site-packages/synapse/config/repository.py", line 199, in read_config',
      '    self.max_upload_size = self.parse_size(config.get("max_upload_size", "50M"))',
      '                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '  File "/v/site-packages/synapse/config/_base.py", line 201, in parse_size',
      '    raise TypeError(f"Bad byte size {value!r}")',
      'TypeError: Bad byte size [1]',
    ].join('\n');
    const lines = extractSynapseError(log);
    expect(lines[0]).toBe('TypeError: Bad byte size [1]');
    expect(lines[1]).toContain('synapse/config/repository.py:199');
    expect(lines[1]).toContain('max_upload_size');
  });

  it('keeps a multi-line exception message such as a YAML error position', () => {
    const log = [
      'Traceback (most recent call last):',
      '  File "/v/yaml/parser.py", line 369, in parse_node',
      '    raise ParserError("while parsing a %s node" % node, start_mark,',
      'yaml.parser.ParserError: while parsing a flow node',
      "expected the node content, but found '<stream end>'",
      '  in "conf.d/10-x.yaml", line 2, column 1',
    ].join('\n');
    expect(extractSynapseError(log)).toEqual([
      'yaml.parser.ParserError: while parsing a flow node',
      "expected the node content, but found '<stream end>'",
      '  in "conf.d/10-x.yaml", line 2, column 1',
    ]);
  });

  it('falls back to ERROR records, then to the last lines', () => {
    const withErrors = ['a - INFO - x', 'b - ERROR - database is locked', 'c - INFO - y'].join(
      '\n',
    );
    expect(extractSynapseError(withErrors)).toEqual(['b - ERROR - database is locked']);
    expect(extractSynapseError('one\n\ntwo\nthree\n', 2)).toEqual(['two', 'three']);
  });
});
