// The provider connectors by the KIND of `POST /webhooks/KIND/SOURCE`.
import { segmentWebhookConnector } from './segment-webhook/segment-webhook-connector.js';
import { shopifyConnector } from './shopify/shopify-connector.js';
import { stripeConnector } from './stripe/stripe-connector.js';
import type { Connector, ConnectorKind } from './types.js';
import { zendeskConnector } from './zendesk/zendesk-connector.js';

export const CONNECTORS: Readonly<Record<ConnectorKind, Connector>> = {
  shopify: shopifyConnector,
  stripe: stripeConnector,
  zendesk: zendeskConnector,
  segment: segmentWebhookConnector,
};

export function connectorFor(kind: string): Connector | undefined {
  return Object.hasOwn(CONNECTORS, kind) ? CONNECTORS[kind as ConnectorKind] : undefined;
}
