/**
 * Residents joining by invitation, on a phone (390×844, touch) against a real Synapse and the org
 * agent: the village's grid worker makes an invitation, a resident opens its link, registers with
 * the link's token and lands in the residents' rooms; an altered link and a revoked one get a clear
 * page naming what is wrong and whom to ask. Every screen must fit the phone and speak Chinese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { applyOrgSpec } from '../admin/apply';
import { startOrgAgent, type OrgAgent } from '../admin/agent/org-agent';
import { seg, SynapseClient } from '../admin/synapse-client';
import { startTestHomeserver, type TestHomeserver } from '../homeserver/testing';
import {
  ADMIN_RESULT_EVENT,
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
} from '../shared/matrix-types';
import { parseAdminResult } from '../shared/org/admin-requests';
import type { OrgSpec } from '../shared/org/spec-types';
import { inviteLink } from '../shared/residents/invite-link';
import { parseInviteRecord } from '../shared/residents/invites';
import { launchBrowser, newUserContext, saveScreenshot } from './browser';
import { finishFirstSignIn } from './first-sign-in';
import { expectPhoneFit } from './phone';
import { untranslatedEnglish } from './untranslated';
import { serveBuiltWebApp } from './web-app';

const PASSWORD = 'Correct-Horse-1';
const RESIDENT_PASSWORD = 'Spring-Field-7';
const V = '990121100201';
const spec: OrgSpec = {
  version: 1,
  units: [
    { code: '990121', name: '青山县', level: 'county' },
    { code: '990121100', name: '青山镇', level: 'township', parent: '990121' },
    {
      code: V,
      name: '桃花村',
      level: 'village',
      parent: '990121100',
      rooms: { residents: true },
    },
  ],
  users: [
    {
      username: 'cun.zhuren',
      displayName: '陶主任',
      unit: V,
      roles: ['issuer'],
      password: PASSWORD,
    },
    {
      username: 'zhao.zhenhua',
      displayName: '赵振华',
      unit: V,
      roles: ['grid_worker'],
      password: PASSWORD,
    },
  ],
};

let hs: TestHomeserver;
let agent: OrgAgent;
let web: { url: string; close(): Promise<void> };
let browser: Browser;
let worker: SynapseClient;
let spaceId = '';
let counter = 0;

async function login(username: string): Promise<SynapseClient> {
  const anon = new SynapseClient({ baseUrl: hs.baseUrl, token: '' });
  const res = await anon.request<{ access_token: string }>('POST', '/_matrix/client/v3/login', {
    body: {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username },
      password: PASSWORD,
    },
  });
  return new SynapseClient({ baseUrl: hs.baseUrl, token: res.access_token });
}

/** The grid worker files an invitation request in the Space; resolves to the agent's message. */
async function inviteRequest(content: object): Promise<string> {
  const requestId = `e2e-invite-${(counter += 1)}`;
  await worker.request(
    'PUT',
    `/_matrix/client/v3/rooms/${seg(spaceId)}/state/${seg(INVITE_REQUEST_EVENT)}/${requestId}`,
    { body: content },
  );
  for (let since: string | undefined; ;) {
    const path = `/_matrix/client/v3/rooms/${seg(spaceId)}/state/${seg(ADMIN_RESULT_EVENT)}/${requestId}`;
    const result = parseAdminResult(await worker.get(path).catch(() => undefined));
    if (result) {
      expect(result.status, result.message).toBe('ok');
      return result.message;
    }
    // Wait for the Space's next event rather than polling on a timer.
    const filter = JSON.stringify({ room: { rooms: [spaceId] } });
    const res = await worker.get<{ next_batch: string }>('/_matrix/client/v3/sync', {
      filter,
      timeout: since === undefined ? 0 : 5000,
      ...(since === undefined ? {} : { since }),
    });
    since = res.next_batch;
  }
}

/** Creates an invitation through the agent; resolves to its id and link to the served app. */
async function createInvite(): Promise<{ inviteId: string; link: string }> {
  const message = await inviteRequest({ action: 'create-invite', usesAllowed: 5, validHours: 48 });
  const inviteId = /invitation (inv-\S+)/.exec(message)?.[1] ?? '';
  const record = parseInviteRecord(
    await worker.get(
      `/_matrix/client/v3/rooms/${seg(spaceId)}/state/${seg(RESIDENT_INVITE_EVENT)}/${inviteId}`,
    ),
  );
  if (!record) throw new Error(`no record for ${inviteId}`);
  return { inviteId, link: inviteLink(web.url, { descriptor: record, token: record.token }) };
}

async function phonePage(): Promise<Page> {
  return (await newUserContext(browser, 'zh-CN', { phone: true })).newPage();
}

/** Asserts the screen fits the phone and shows no English, then saves it. */
async function checkScreen(page: Page, name: string): Promise<void> {
  await expectPhoneFit(page, name);
  for (const width of [360, 430]) {
    await page.setViewportSize({ width, height: 800 });
    await expectPhoneFit(page, `${name} at ${width} px`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await untranslatedEnglish(page), name).toEqual([]);
  await saveScreenshot(page, `residents-${name}`);
}

beforeAll(async () => {
  hs = await startTestHomeserver({ bcryptRounds: 4 });
  await applyOrgSpec({ homeserverUrl: hs.baseUrl, adminToken: hs.admin.accessToken, spec });
  agent = await startOrgAgent({
    homeserverUrl: hs.baseUrl,
    adminToken: hs.admin.accessToken,
    pollTimeoutMs: 2000,
  });
  await agent.ready;
  worker = await login('zhao.zhenhua');
  spaceId = (
    await worker.get<{ room_id: string }>(
      `/_matrix/client/v3/directory/room/${seg(`#hy.${V}.space:${hs.serverName}`)}`,
    )
  ).room_id;
  web = await serveBuiltWebApp(hs.baseUrl);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await agent?.stop();
  await hs?.dispose();
});

describe('residents join by invitation on a phone', () => {
  let invite: { inviteId: string; link: string };

  it('shows the community from the link, registers the resident and places them in its rooms', async () => {
    invite = await createInvite();
    const page = await phonePage();
    await page.goto(invite.link);
    await page.getByTestId('join-page').waitFor();
    expect(await page.getByTestId('join-unit').textContent()).toBe('加入桃花村');
    expect(await page.getByTestId('join-page').textContent()).toContain('赵振华');
    expect(await page.getByTestId('join-policy').textContent()).toContain('至少 10 个字符');
    await checkScreen(page, 'join');

    await page.getByTestId('join-displayName').fill('孙大妈');
    await page.getByTestId('join-username').fill('sun.dama');
    await page.getByTestId('join-password').fill('short');
    await page.getByTestId('join-confirm').fill('short');
    await page.getByTestId('join-submit').tap();
    await page.locator('[data-testid="join-error"][data-problem="tooWeak"]').waitFor();

    await page.getByTestId('join-password').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-confirm').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-submit').tap();
    await page.getByTestId('join-joined').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('join-joined').textContent()).toContain('已加入桃花村');
    await checkScreen(page, 'joined');
    await page.getByTestId('join-enter').tap();
    // The token leaves the address bar with the join page.
    expect(new URL(page.url()).hash).toBe('');
    await page.locator('[data-testid="room-list"][data-loaded="true"]').waitFor();
    await finishFirstSignIn(page, { password: RESIDENT_PASSWORD, phone: true });
    await page.getByTestId('nav-chat').tap();
    await page
      .locator('.room-item')
      .filter({ hasText: '群众群' })
      .first()
      .waitFor({ timeout: 60_000 });
    const rooms = await page.locator('.room-item').allTextContents();
    expect(rooms.join('|')).toContain('群众通知');
    expect(rooms.join('|')).not.toContain('工作群');
    await page.context().close();
  });

  it('refuses an altered link on sight', async () => {
    const page = await phonePage();
    await page.goto(
      invite.link.replace(encodeURIComponent('桃花村'), encodeURIComponent('杏花村')),
    );
    await page.locator('[data-testid="join-refused"] [data-refusal="altered"]').waitFor();
    await checkScreen(page, 'altered');
    await page.context().close();
  });

  it('a revoked invitation gets a clear page naming the community and whom to ask', async () => {
    const revoked = await createInvite();
    await inviteRequest({ action: 'revoke-invite', inviteId: revoked.inviteId });
    const page = await phonePage();
    await page.goto(revoked.link);
    await page.getByTestId('join-displayName').fill('钱大爷');
    await page.getByTestId('join-username').fill('qian.daye');
    await page.getByTestId('join-password').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-confirm').fill(RESIDENT_PASSWORD);
    await page.getByTestId('join-submit').tap();
    const refused = page.getByTestId('join-refused');
    await refused.waitFor({ timeout: 30_000 });
    const text = await refused.textContent();
    expect(text).toContain('桃花村');
    expect(text).toContain('赵振华');
    await checkScreen(page, 'refused');
    await page.context().close();
  });
});
