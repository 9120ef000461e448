/**
 * One member of a classification recipe's train.members, trained in a process of its own
 * (train.workers > 1): train.ts forks this file and sends { job, backend }; it answers
 * { error } when the training fails and exits with 1. It stops when its parent goes away
 * (the member's checkpoints stay for --resume).
 */
import { initBackend } from '../../src/index.ts';
import { trainMember, type MemberJob } from './train.ts';

process.on('disconnect', () => process.exit(1));
process.once('message', (msg: { job: MemberJob; backend?: string }) => {
  void (async () => {
    try {
      await initBackend(msg.backend);
      await trainMember(msg.job);
      process.exit(0);
    } catch (err) {
      process.send?.({ error: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
    }
  })();
});
