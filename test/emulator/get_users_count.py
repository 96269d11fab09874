"""Calls Wickr GetUsersCount with boto3 and prints, as one JSON list, what botocore made of each answer.

Usage: get_users_count.py ENDPOINT_URL REGION NETWORK_ID [NETWORK_ID ...]

Credentials come from the standard AWS_* environment variables, so they never show in a process list.
Retries are off (total_max_attempts 1: in botocore's legacy mode max_attempts counts retries, not attempts),
so every call is exactly one request, which is what the tests count on.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

COUNTS = ('pending', 'active', 'rejected', 'remaining', 'total')


def get_users_count(client, network_id):
    try:
        response = client.get_users_count(networkId=network_id)
    except ClientError as error:
        parsed = {
            'exception': type(error).__name__,
            'code': error.response['Error']['Code'],
            'message': error.response['Error']['Message'],
            'status': error.response['ResponseMetadata']['HTTPStatusCode'],
            'requestId': error.response['ResponseMetadata'].get('RequestId'),
        }
        if 'reasons' in error.response:
            parsed['reasons'] = error.response['reasons']
        return {'error': parsed}
    return {
        'counts': {name: response[name] for name in COUNTS},
        'requestId': response['ResponseMetadata'].get('RequestId'),
    }


def main(endpoint_url, region, network_ids):
    client = boto3.client(
        'wickr',
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(retries={'total_max_attempts': 1}, connect_timeout=5, read_timeout=20),
    )
    print(json.dumps([get_users_count(client, network_id) for network_id in network_ids]))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
