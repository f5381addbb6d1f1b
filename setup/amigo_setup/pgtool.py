"""Database chores, run with the venv's Python (psycopg2) and the PG* environment.

pgtool.py exists DB          exit 0 if DB exists, 1 if not
pgtool.py list PREFIX        print databases whose name starts with PREFIX
pgtool.py drop DB...         drop databases (and their filestores, see --data-dir)
pgtool.py clone SRC DST      create DST from template SRC, copying the filestore
pgtool.py comment DB [TEXT]  read or set the database comment (used as a cache stamp)
pgtool.py installed DB MOD...  print those of the modules installed in DB
"""

import argparse
import os
import shutil
import sys

import psycopg2
from psycopg2 import sql


def connect():
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    return conn


def filestore(data_dir, name):
    return os.path.join(data_dir, "filestore", name)


def terminate(cur, name):
    cur.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("command")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args(argv)
    conn = connect()
    try:
        return _dispatch(parser, opts, conn.cursor())
    finally:
        conn.close()


def _dispatch(parser, opts, cur):
    if opts.command == "exists":
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (opts.args[0],))
        return 0 if cur.fetchone() else 1
    if opts.command == "list":
        cur.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY datname",
            (opts.args[0],),
        )
        print("\n".join(row[0] for row in cur.fetchall()))
        return 0
    if opts.command == "drop":
        for name in opts.args:
            terminate(cur, name)
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            if opts.data_dir:
                shutil.rmtree(filestore(opts.data_dir, name), ignore_errors=True)
        return 0
    if opts.command == "clone":
        source, target = opts.args
        terminate(cur, source)
        terminate(cur, target)
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
        cur.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'unicode' TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )
        if opts.data_dir:
            shutil.rmtree(filestore(opts.data_dir, target), ignore_errors=True)
            if os.path.isdir(filestore(opts.data_dir, source)):
                shutil.copytree(filestore(opts.data_dir, source), filestore(opts.data_dir, target))
        return 0
    if opts.command == "comment":
        name = opts.args[0]
        if len(opts.args) > 1:
            cur.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(opts.args[1])
                )
            )
            return 0
        cur.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        )
        row = cur.fetchone()
        print(row[0] if row and row[0] else "")
        return 0
    if opts.command == "installed":
        name, modules = opts.args[0], opts.args[1:]
        conn = psycopg2.connect(dbname=name)
        try:
            with conn.cursor() as db:
                db.execute(
                    "SELECT name FROM ir_module_module WHERE state = 'installed' "
                    "AND name = ANY(%s) ORDER BY name",
                    (modules,),
                )
                print("\n".join(row[0] for row in db.fetchall()))
        finally:
            conn.close()
        return 0
    parser.error(f"unknown command {opts.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
