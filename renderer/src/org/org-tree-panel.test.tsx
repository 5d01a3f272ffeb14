// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { buildOrgTree } from '../../../shared/org/org-tree';
import { rollupUnread } from '../../../shared/org/unread-rollup';
import { createAppI18n } from '../app-i18n';
import { OrgTreePanel } from './org-tree-panel';

afterEach(cleanup);

const tree = buildOrgTree([
  { code: 'p', name: '示范省', level: 'province' },
  { code: 'c', name: '东湖市', level: 'city', parentCode: 'p' },
  { code: 'k', name: '青山县', level: 'county', parentCode: 'c' },
  { code: 'd', name: '教育局', level: 'department', parentCode: 'k' },
]);
const unread = rollupUnread({
  tree,
  roomsByUnit: {
    k: { workRoomId: '!kw', departments: [] },
    d: { noticeRoomId: '!dn', departments: [] },
  },
  unreadByRoom: { '!kw': 2, '!dn': 3 },
});

async function renderTree(selected: string | null) {
  const onSelect = vi.fn();
  render(
    <I18nextProvider i18n={await createAppI18n('zh-CN')}>
      <OrgTreePanel tree={tree} unread={unread} selected={selected} onSelect={onSelect} />
    </I18nextProvider>,
  );
  return onSelect;
}

describe('OrgTreePanel', () => {
  it('opens the way down to the selected unit and shows subtree unread counts', async () => {
    await renderTree('k');
    expect(screen.getByTestId('org-node-k').textContent).toContain('青山县');
    expect(screen.getByTestId('org-unread-p').textContent).toBe('5');
    expect(screen.getByTestId('org-unread-k').textContent).toBe('5');
    // 青山县 itself is closed, so its department is not shown yet.
    expect(screen.queryByTestId('org-node-d')).toBeNull();
  });

  it('expands on demand and reports the unit clicked', async () => {
    const onSelect = await renderTree(null);
    expect(screen.queryByTestId('org-node-c')).not.toBeNull();
    expect(screen.queryByTestId('org-node-k')).toBeNull();
    fireEvent.click(screen.getAllByRole('button', { name: '展开' })[0] as HTMLElement);
    fireEvent.click(screen.getByTestId('org-node-k'));
    expect(onSelect).toHaveBeenCalledWith('k');
    expect(screen.getByTestId('org-node-k').closest('li')?.getAttribute('aria-selected')).toBe(
      'false',
    );
  });

  it("indents from the first unit shown, so a city user's tree starts at the left edge", async () => {
    // What a city's staff see: their city and below, the province above them not in view.
    const cityTree = buildOrgTree([
      { code: 'c', name: '东湖市', level: 'city', parentCode: 'p' },
      { code: 'k', name: '青山县', level: 'county', parentCode: 'c' },
    ]);
    render(
      <I18nextProvider i18n={await createAppI18n('zh-CN')}>
        <OrgTreePanel tree={cityTree} unread={new Map()} selected="k" onSelect={vi.fn()} />
      </I18nextProvider>,
    );
    const level = (code: string) =>
      (
        screen.getByTestId(`org-node-${code}`).closest('.org-node') as HTMLElement
      ).style.getPropertyValue('--level');
    expect(level('c')).toBe('0');
    expect(level('k')).toBe('1');
  });
});
