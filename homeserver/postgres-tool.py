"""Creates or drops a Synapse database on PostgreSQL, for the Hongyan homeserver kit.

Run with the kit's venv Python (it has psycopg2). Reads one JSON request on stdin so the
password never appears on a command line:
  {"action": "ensure" | "drop", "host": ..., "port": ..., "user": ..., "password": ..., "database": ...}
Prints one JSON result line; exits 1 with {"error": ...} when PostgreSQL refuses.
"""

import json
import sys

import psycopg2
from psycopg2 import sql


def connect(req):
    args = {"host": req["host"], "port": req["port"], "user": req["user"], "dbname": "postgres"}
    if req.get("password") is not None:
        args["password"] = req["password"]
    if req.get("passfile"):
        args["passfile"] = req["passfile"]
    conn = psycopg2.connect(connect_timeout=5, **args)
    # CREATE/DROP DATABASE cannot run inside a transaction.
    conn.autocommit = True
    return conn


def describe(cur, name):
    cur.execute(
        "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = %s",
        (name,),
    )
    row = cur.fetchone()
    if row is None:
        return None
    return {"encoding": row[0], "collate": row[1], "ctype": row[2]}


def run(cur, action, name):
    if action == "drop":
        # WITH (FORCE) ends leftover sessions of a Synapse that was killed.
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        return {"status": "dropped"}
    info = describe(cur, name)
    if info is not None:
        return {"status": "exists", **info}
    # Synapse requires UTF8 with C collation, which only template0 can provide.
    cur.execute(
        sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0").format(
            sql.Identifier(name)
        )
    )
    return {"status": "created", **describe(cur, name)}


def main():
    req = json.load(sys.stdin)
    try:
        # Not `with conn`: that opens a transaction, and CREATE/DROP DATABASE refuse to run in one.
        conn = connect(req)
        try:
            result = run(conn.cursor(), req["action"], req["database"])
        finally:
            conn.close()
    except psycopg2.Error as err:
        print(json.dumps({"error": str(err).strip()}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
