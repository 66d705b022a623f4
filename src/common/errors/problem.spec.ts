import { HttpStatus, NotFoundException } from '@nestjs/common';
import { mongo } from 'mongoose';
import { toProblem } from './problem';

/** The pool's refusal as the driver makes it (the class itself is not exported). */
class WaitQueueTimeoutError extends mongo.MongoDriverError {
  override get name(): string {
    return 'MongoWaitQueueTimeoutError';
  }
}

describe(toProblem.name, () => {
  it.each([
    [
      'no server to select',
      new mongo.MongoServerSelectionError('connect ECONNREFUSED', {} as never),
    ],
    ['a reset connection', new mongo.MongoNetworkError('connection reset')],
    ['a query past its deadline', new mongo.MongoOperationTimeoutError('Timed out')],
    ['a server gone from the topology', new mongo.MongoServerClosedError()],
    ['no pooled connection in time', new WaitQueueTimeoutError('Timed out while checking out')],
    [
      'a replica set between primaries',
      new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' }),
    ],
  ])(
    'renders %s as 503 dependency_down with Retry-After, revealing nothing of the driver',
    (_, error) => {
      const { problem, headers } = toProblem(error, 'req-1');
      expect(problem).toMatchObject({
        status: HttpStatus.SERVICE_UNAVAILABLE,
        code: 'dependency_down',
      });
      expect(headers['retry-after']).toBe('5');
      expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|reset|Timed out|primary/);
    },
  );

  it('keeps other database errors a bare 500', () => {
    const error = new mongo.MongoServerError({ code: 2, errmsg: 'bad value' });
    expect(toProblem(error, 'req-1').problem).toMatchObject({ status: 500 });
    expect(toProblem(error, 'req-1').problem.code).toBeUndefined();
  });

  it('never repeats the request path of an unmatched route', () => {
    const { problem } = toProblem(new NotFoundException('Cannot GET /secret?token=x'), 'req-1');
    expect(problem.detail).toBe('The resource was not found.');
  });
});
