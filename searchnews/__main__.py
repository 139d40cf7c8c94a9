from searchnews.cli import main

main()
