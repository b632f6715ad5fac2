"""gunicorn's settings for the platform: `gunicorn ptce.wsgi:application --config python:ptce.gunicorn …`
(the Makefile's WEB_CMD, docker-compose.yml's web service and bench/api_load.py).

The application is loaded once in the master process, then the objects it created are frozen out of the
garbage collector's reach before the workers are forked: the thousands of objects of Django, DRF and the
platform's modules are never traversed again by a collection in a worker (a collection ran every few
requests and walked them all) and their memory pages stay shared between the workers instead of being
copied when a collection touches their reference counts.
"""

import gc

preload_app = True  # the workers fork from a master that has imported the application
# HTTP requests are parsed by gunicorn-h1c (requirements.txt), gunicorn's parser in C, which its default
# http_parser = "auto" takes when it is installed ("fast" would not stop the server from starting without it, but
# answer 500 to every request).


def when_ready(server):
    # After the application was loaded (preload_app) and before the first worker is forked.
    gc.freeze()
