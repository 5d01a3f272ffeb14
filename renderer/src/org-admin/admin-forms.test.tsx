// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { AdminAction } from '../../../shared/org/admin-requests';
import { createAppI18n } from '../app-i18n';
import { AdminForm } from './admin-forms';

afterEach(cleanup);

async function renderForm(action: AdminAction) {
  const onSubmit = vi.fn(() => Promise.resolve('r1'));
  render(
    <I18nextProvider i18n={await createAppI18n('zh-CN')}>
      <AdminForm
        action={action}
        scope={{ units: [{ code: 'ka', name: '青山县' }], people: [] }}
        unitCode="ka"
        agentKey={undefined}
        busy={false}
        onSubmit={onSubmit}
        statusOf={() => 'pending'}
      />
    </I18nextProvider>,
  );
  return onSubmit;
}

describe('AdminForm', () => {
  it('names the bad field and sends nothing when the request is malformed', async () => {
    const onSubmit = await renderForm('add-department');
    fireEvent.change(screen.getByTestId('admin-slug'), { target: { value: 'Bad Slug' } });
    fireEvent.change(screen.getByTestId('admin-name'), { target: { value: '办公室' } });
    fireEvent.click(screen.getByTestId('admin-submit'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('slug'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends a well-formed request for the acting unit', async () => {
    const onSubmit = await renderForm('add-department');
    fireEvent.change(screen.getByTestId('admin-slug'), { target: { value: 'office' } });
    fireEvent.change(screen.getByTestId('admin-name'), { target: { value: '办公室' } });
    fireEvent.click(screen.getByTestId('admin-submit'));
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        action: 'add-department',
        unitCode: 'ka',
        slug: 'office',
        name: '办公室',
      }),
    );
  });

  it('does not offer account creation while no org agent has published its key', async () => {
    await renderForm('create-user');
    expect((screen.getByTestId('admin-submit') as HTMLButtonElement).disabled).toBe(true);
  });
});
