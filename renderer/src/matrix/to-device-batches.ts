/**
 * Packs many to-device requests into few `/sendToDevice` calls.
 *
 * Sharing a room key makes one to-device request per room, each carrying one Olm message per
 * recipient device. A fan-out to a hundred rooms would pay a hundred HTTP round trips for a few
 * kilobytes each. The server accepts any number of recipients per call, with one message per
 * device, so requests of the same event type whose devices do not overlap can travel together.
 * A request is never split: the crypto store marks requests as sent one by one, whole.
 */

/** `messages` of a `/sendToDevice` body: user id → device id → content. */
export type ToDeviceMessages = Record<string, Record<string, unknown>>;

/** One request as the crypto layer produced it. */
export interface ToDeviceItem {
  eventType: string;
  messages: ToDeviceMessages;
}

/** One `/sendToDevice` call: the merged messages and which items it carries (their indices). */
export interface ToDeviceBatch {
  eventType: string;
  messages: ToDeviceMessages;
  items: number[];
  messageCount: number;
}

/** Messages in one item. */
export function countMessages(messages: ToDeviceMessages): number {
  let n = 0;
  for (const devices of Object.values(messages)) n += Object.keys(devices).length;
  return n;
}

function overlaps(into: ToDeviceMessages, add: ToDeviceMessages): boolean {
  for (const [user, devices] of Object.entries(add)) {
    const present = into[user];
    if (present === undefined) continue;
    for (const device of Object.keys(devices)) if (device in present) return true;
  }
  return false;
}

function merge(into: ToDeviceMessages, add: ToDeviceMessages): void {
  for (const [user, devices] of Object.entries(add)) into[user] = { ...into[user], ...devices };
}

/**
 * Packs items into batches of at most `maxMessages` messages (an item larger than that travels
 * alone), first fit, keeping items in their order within a batch. Two items addressing the same
 * device never share a batch, since a body holds one message per device.
 */
export function packToDeviceBatches(
  items: readonly ToDeviceItem[],
  maxMessages: number,
): ToDeviceBatch[] {
  if (!(maxMessages >= 1)) throw new RangeError(`maxMessages must be ≥ 1, got ${maxMessages}`);
  const batches: ToDeviceBatch[] = [];
  items.forEach((item, index) => {
    const size = countMessages(item.messages);
    const fit = batches.find(
      (b) =>
        b.eventType === item.eventType &&
        b.messageCount + size <= maxMessages &&
        !overlaps(b.messages, item.messages),
    );
    if (fit) {
      merge(fit.messages, item.messages);
      fit.items.push(index);
      fit.messageCount += size;
    } else {
      const messages: ToDeviceMessages = {};
      merge(messages, item.messages);
      batches.push({ eventType: item.eventType, messages, items: [index], messageCount: size });
    }
  });
  return batches;
}
