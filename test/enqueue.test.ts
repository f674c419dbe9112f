import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../src/queue/send';
import { kickDirectDispatch } from '../src/sending/dispatch.job';
import { startTestService, type TestService } from './helpers/service';

let t: TestService | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('one way to enqueue a job', () => {
  it('refuses a job for a queue that does not exist, with or without a singleton key', async () => {
    t = await startTestService({ env: { ROLE: 'api' } });
    // pg-boss drops a job for a missing queue without a word
    await t.service.ctx.boss.deleteQueue('dispatch');
    const senderId = await t.service.ctx.senders.defaultId();
    await expect(kickDirectDispatch(t.service.ctx, senderId)).rejects.toThrow(/dispatch/);
    await expect(enqueue(t.service.ctx, 'no-such-queue', {})).rejects.toThrow(/no-such-queue/);
  });

  it('answers no job, and no error, when one with the same singleton key is waiting', async () => {
    t = await startTestService({ env: { ROLE: 'api' } }); // no worker takes the job
    const senderId = await t.service.ctx.senders.defaultId();
    const key = { singletonKey: `direct:${senderId}` };
    expect(await enqueue(t.service.ctx, 'dispatch', { senderId }, key)).toEqual(expect.any(String));
    expect(await enqueue(t.service.ctx, 'dispatch', { senderId }, key)).toBeUndefined();
    await expect(kickDirectDispatch(t.service.ctx, senderId)).resolves.toBeUndefined();
  });
});
