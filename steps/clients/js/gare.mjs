// Asks the mock, through the official JS SDK, for a high-assurance flow the caller's session does
// not satisfy, and checks that the SDK recognizes the answer as an authorization requirements
// error (GARE) naming the policy. Environment: GLOBUS_SDK_SERVICE_URL_FLOWS, FLOW_ID, TOKEN, POLICY_ID.
import { flows, errors } from '@globus/sdk';

const response = await flows.flows.get(process.env.FLOW_ID, { headers: { Authorization: `Bearer ${process.env.TOKEN}` } });
const body = await response.json();
const fail = (why) => { console.error(`${why}: ${response.status} ${JSON.stringify(body)}`); process.exit(1); };
if (response.status !== 403) fail('want HTTP 403');
if (!errors.isAuthorizationRequirementsError(body)) fail('the JS SDK does not recognize a GARE');
const params = errors.toAuthorizationQueryParams(body);
if (params.session_required_policies !== process.env.POLICY_ID) fail(`session_required_policies = ${params.session_required_policies}`);
console.log('GARE recognized:', JSON.stringify(params));
